/// A message's bytes with the helpers of git's `trailer.c`, `commit.c` and `wt-status.c` (git 2.39), over a
/// buffer that lives only as long as the closure that made it (`TrailerBlock.withBytes`).
struct GitText {
    let bytes: UnsafeBufferPointer<UInt8>
    var count: Int { bytes.count }

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// git's locale-independent `isspace`: tab, line feed, carriage return, space (not VT or FF).
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x20 }

    /// git's `isalnum`: ASCII letters and digits only.
    @inline(__always)
    static func isAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// `find_separator` with separators `:`, from `start`: offset of the separator after `<token><optional
    /// whitespace>`, or -1.
    func findSeparator(from start: Int) -> Int {
        var whitespaceFound = false
        var index = start
        while index < count {
            let byte = bytes[index]
            if byte == 0 { break }
            if byte == 0x3A { return index - start }
            if !whitespaceFound, Self.isAlnum(byte) || byte == 0x2D { index += 1; continue }
            if index != start, byte == 0x20 || byte == 0x09 { whitespaceFound = true; index += 1; continue }
            break
        }
        return -1
    }

    /// `next_line`: the offset after the next line feed, or the end.
    func nextLine(_ from: Int) -> Int {
        var index = from
        while index < count, bytes[index] != 0x0A { index += 1 }
        return index < count ? index + 1 : count
    }

    /// `last_line`: start of the last line of the first `length` bytes; -1 when `length` is 0.
    func lastLine(_ length: Int) -> Int {
        if length <= 0 { return -1 }
        if length == 1 { return 0 }
        var index = length - 2
        while index >= 0 {
            if bytes[index] == 0x0A { return index + 1 }
            index -= 1
        }
        return 0
    }

    /// `is_blank_line`: the line at `from` holds only whitespace.
    func isBlankLine(_ from: Int) -> Bool {
        var index = from
        while index < count, bytes[index] != 0x0A, Self.isSpace(bytes[index]) { index += 1 }
        return index >= count || bytes[index] == 0x0A
    }

    /// `starts_with` at `from`.
    func startsWith(_ from: Int, _ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard from >= 0, from + length <= count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<length where bytes[from + offset] != start[offset] { return false }
        return true
    }

    /// `find_patch_start`: the first line that starts with `---` and whitespace, or the end.
    func patchStart() -> Int {
        var line = 0
        while line < count {
            if startsWith(line, "---"), line + 3 < count, Self.isSpace(bytes[line + 3]) { return line }
            line = nextLine(line)
        }
        return count
    }

    /// `wt_status_locate_end`: where the `git commit -v` cut line starts, else `length`. git 2.39 searches the
    /// whole message, so the cut line may lie past `length`.
    func locateEnd(_ length: Int) -> Int {
        if startsWith(0, "# ------------------------ >8 ------------------------\n") { return 0 }
        var index = 0
        while index < count {
            if bytes[index] == 0x0A, startsWith(index, "\n# ------------------------ >8 ------------------------\n") { return index + 1 }
            index += 1
        }
        return length
    }

    /// `find_trailer_end` (`ignore_non_trailer`): `length` less trailing comment lines, empty lines and an old
    /// `Conflicts:` block, cut at the cut line. Past `length` (a cut line after a divider) git 2.39's unsigned
    /// arithmetic wraps around and reads on to the cut line (and, in `interpret-trailers`, never returns);
    /// this reads on to the cut line and stops.
    func trailerEnd(_ length: Int) -> Int {
        var commentsStart = 0
        var line = 0
        var inConflicts = false
        let cutoff = locateEnd(length)
        while line < cutoff, line < count {
            let limit = line < length ? length : count
            var next = line
            while next < limit, bytes[next] != 0x0A { next += 1 }
            next = next < limit ? next + 1 : limit
            if bytes[line] == 0x23 || bytes[line] == 0x0A {
                if commentsStart == 0 { commentsStart = line }
            } else if startsWith(line, "Conflicts:\n") {
                inConflicts = true
                if commentsStart == 0 { commentsStart = line }
            } else if inConflicts, bytes[line] == 0x09 {
                // a path of the conflicts block
            } else if commentsStart != 0 {
                commentsStart = 0
                inConflicts = false
            }
            guard next > line else { break }
            line = next
        }
        return commentsStart != 0 ? commentsStart : cutoff
    }

    /// `find_trailer_start`: the first byte of the trailer block within the first `length` bytes, or `length`.
    func trailerStart(_ length: Int) -> Int {
        var line = 0
        while line < length {
            if bytes[line] == 0x23 { line = nextLine(line); continue }
            if isBlankLine(line) { break }
            line = nextLine(line)
        }
        let endOfTitle = min(line, length)
        var onlySpaces = true
        var recognizedPrefix = false
        var trailerLines = 0, nonTrailerLines = 0, possibleContinuationLines = 0
        var bol = lastLine(length)
        while bol >= endOfTitle, bol >= 0 {
            defer { bol = lastLine(bol) }
            if bytes[bol] == 0x23 {
                nonTrailerLines += possibleContinuationLines
                possibleContinuationLines = 0
                continue
            }
            if isBlankLine(bol) {
                if onlySpaces { continue }
                nonTrailerLines += possibleContinuationLines
                if recognizedPrefix, trailerLines * 3 >= nonTrailerLines { return nextLine(bol) }
                if trailerLines > 0, nonTrailerLines == 0 { return nextLine(bol) }
                return length
            }
            onlySpaces = false
            if startsWith(bol, "Signed-off-by: ") || startsWith(bol, "(cherry picked from commit ") {
                trailerLines += 1
                possibleContinuationLines = 0
                recognizedPrefix = true
                continue
            }
            if findSeparator(from: bol) >= 1, !Self.isSpace(bytes[bol]) {
                trailerLines += 1
                possibleContinuationLines = 0
            } else if Self.isSpace(bytes[bol]) {
                possibleContinuationLines += 1
            } else {
                nonTrailerLines += 1 + possibleContinuationLines
                possibleContinuationLines = 0
            }
        }
        return length
    }

    /// The trailer block's bytes for `divider` (`interpret-trailers`) or not (`git log`): `trailer_info_get`.
    func block(divider: Bool) -> Range<Int> {
        let end = trailerEnd(divider ? patchStart() : count)
        let start = trailerStart(end)
        return start..<max(start, end)
    }
}
