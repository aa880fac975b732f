/// A message's bytes with the helpers of git's `trailer.c`, `commit.c` and `wt-status.c`.
struct GitText {
    let bytes: [UInt8]
    var count: Int { bytes.count }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// git's locale-independent `isspace`: tab, line feed, carriage return, space (not VT or FF).
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x20 }

    /// git's `isalnum`: ASCII letters and digits only.
    static func isAlnum(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// `strbuf_trim`: git's whitespace off both ends.
    static func trim(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = slice
        while let first = slice.first, isSpace(first) { slice.removeFirst() }
        while let last = slice.last, isSpace(last) { slice.removeLast() }
        return slice
    }

    /// `find_separator` with separators `:`: offset of the separator after `<token><optional whitespace>`, or -1.
    static func findSeparator(_ bytes: [UInt8], from start: Int) -> Int {
        var whitespaceFound = false
        var index = start
        while index < bytes.count, bytes[index] != 0 {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") { return index - start }
            if !whitespaceFound, isAlnum(byte) || byte == UInt8(ascii: "-") { index += 1; continue }
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
    func startsWith(_ from: Int, _ prefix: [UInt8]) -> Bool {
        guard from >= 0, from + prefix.count <= count else { return false }
        return bytes[from..<(from + prefix.count)].elementsEqual(prefix)
    }

    static let divider = Array("---".utf8)
    static let cutLine = Array("\n# ------------------------ >8 ------------------------\n".utf8)
    static let conflicts = Array("Conflicts:\n".utf8)
    static let generatedPrefixes = [Array("Signed-off-by: ".utf8), Array("(cherry picked from commit ".utf8)]

    /// `find_patch_start`: the first line that starts with `---` and whitespace, or the end.
    func patchStart() -> Int {
        var line = 0
        while line < count {
            if startsWith(line, Self.divider), line + 3 < count, Self.isSpace(bytes[line + 3]) { return line }
            line = nextLine(line)
        }
        return count
    }

    /// `wt_status_locate_end`: where the `git commit -v` cut line starts, else `length`. git 2.39 searches the
    /// whole message, so the cut line may lie past `length`.
    func locateEnd(_ length: Int) -> Int {
        let pattern = Self.cutLine
        if startsWith(0, Array(pattern.dropFirst())) { return 0 }
        guard count >= pattern.count else { return length }
        for index in 0...(count - pattern.count) where bytes[index] == 0x0A && startsWith(index, pattern) {
            return index + 1
        }
        return length
    }

    /// `find_trailer_end` (`ignore_non_trailer`): `length` less trailing comment lines, empty lines and an old
    /// `Conflicts:` block, cut at the cut line. Past `length` (a cut line after a divider) git 2.39's unsigned
    /// arithmetic wraps around and reads on to the cut line; so does this.
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
            if bytes[line] == UInt8(ascii: "#") || bytes[line] == 0x0A {
                if commentsStart == 0 { commentsStart = line }
            } else if startsWith(line, Self.conflicts) {
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
            if bytes[line] == UInt8(ascii: "#") { line = nextLine(line); continue }
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
            if bytes[bol] == UInt8(ascii: "#") {
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
            if Self.generatedPrefixes.contains(where: { startsWith(bol, $0) }) {
                trailerLines += 1
                possibleContinuationLines = 0
                recognizedPrefix = true
                continue
            }
            if Self.findSeparator(bytes, from: bol) >= 1, !Self.isSpace(bytes[bol]) {
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
}
