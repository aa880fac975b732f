import GitKit

extension EventTrailers {
    /// The `Sigit-*` trailers of a whole commit message exactly as git reads them; nil when the message has
    /// no line that could be one. Throws when git's two readings (`git interpret-trailers --parse`,
    /// `git log --format=%(trailers)`) and libgit2's could differ, or when any `Sigit-*` line is not a
    /// trailer of the block git reads (spec section 2, *Reading the message as git does*).
    ///
    /// A message with a `Sigit-` line (after any leading whitespace, any case) is refused when it has: a
    /// carriage return, vertical tab, form feed or NUL (git's whitespace is tab, LF, CR and space, libgit2's
    /// adds VT and FF, and both stop at NUL; other control characters read alike); a blank first line (`git
    /// log` skips it, `interpret-trailers` does not); a line starting with `---` (`git am`'s divider: git
    /// ends the message at `---` and whitespace, libgit2 at any `---`, `git log` at neither); a scissors line
    /// (git stops at `# ------------------------ >8 ------------------------`, libgit2 does not; any line
    /// `git am --scissors` would cut at, with any comment character, counts); a trailer block with a
    /// comment, a line that is not a trailer, or text after it (the block must be the message's last
    /// lines); a `Sigit-` line anywhere but as a trailer of that block, or continued onto the next line; or
    /// a `Sigit-*` trailer libgit2 reads differently.
    static func read(message: String) throws -> [Trailer]? {
        var copy = message
        guard let ours = try copy.withUTF8({ try Self.read(bytes: $0) }) else { return nil }
        let libgit2 = try Message.trailers(message).filter(Self.isSigit)
        guard libgit2.count == ours.count, zip(libgit2, ours).allSatisfy({ $0.key == $1.key && $0.value.trimmedFast(.whitespaces) == $1.value }) else {
            throw TrailerProblem("git and libgit2 read the Sigit- trailers differently")
        }
        return ours
    }

    /// What one pass over a message's lines found.
    private struct Scan {
        var sigitLines = 0
        var control: UInt8?
        var blankFirstLine = false
        var dashLine = false
        var scissors = false
    }

    /// `read(message:)` without libgit2's reading, over the message's UTF-8 bytes.
    private static func read(bytes: UnsafeBufferPointer<UInt8>) throws -> [Trailer]? {
        let scan = Self.scan(bytes)
        guard scan.sigitLines > 0 else { return nil }
        if let bad = scan.control {
            let name = bad == 0x0D ? "a carriage return" : bad == 0 ? "a NUL byte" : bad == 0x0B ? "a vertical tab" : "a form feed"
            throw TrailerProblem("the message holds \(name), which git and libgit2 read differently")
        }
        if scan.blankFirstLine {
            throw TrailerProblem("the message starts with a blank line (git log skips it, git interpret-trailers does not)")
        }
        if scan.dashLine {
            throw TrailerProblem("a line starts with --- (git ends the message there for git am, libgit2 at any ---)")
        }
        if scan.scissors {
            throw TrailerProblem("a scissors line (>8) cuts the message (git stops reading there, libgit2 does not)")
        }

        // The block both of git's readings find (they agree once the lines above are refused; checked anyway).
        let block = TrailerBlock.range(in: bytes, reading: .interpretTrailers)
        guard TrailerBlock.range(in: bytes, reading: .log) == block else {
            throw TrailerProblem("git interpret-trailers and git log read different trailer blocks")
        }
        var tail = block.upperBound
        while tail < bytes.count, bytes[tail] == 0x0A { tail += 1 }
        guard tail == bytes.count else {
            throw TrailerProblem("text follows the trailer block: \(Self.quotedLine(bytes, from: tail))")
        }
        var trailers: [Trailer] = []
        var sigitInBlock = 0
        var previousIsSigit = false
        var line = block.lowerBound
        while line < block.upperBound {
            var end = line
            while end < block.upperBound, bytes[end] != 0x0A { end += 1 }
            let first = bytes[line]
            if first == 0x20 || first == 0x09, line > block.lowerBound {
                // A continuation line: git joins it to the trailer above.
                if previousIsSigit { throw TrailerProblem("trailer \(Self.quotedLine(bytes, from: Self.lineStart(bytes, before: line))) spans several lines") }
                if Self.isSigitLine(bytes, line..<end) { throw TrailerProblem("a Sigit- line continues the trailer above it: \(Self.quotedLine(bytes, from: line))") }
            } else {
                let separator = TrailerBlock.separator(in: bytes, from: line)
                guard first != 0x23, first != 0x20, first != 0x09, separator >= 1 else {
                    throw TrailerProblem("the trailer block holds a line that is not a trailer: \(Self.quotedLine(bytes, from: line))")
                }
                previousIsSigit = Self.isSigitLine(bytes, line..<end)
                if previousIsSigit {
                    sigitInBlock += 1
                    trailers.append(Trailer(key: Self.trimmed(bytes, line..<(line + separator)), value: Self.trimmed(bytes, (line + separator + 1)..<end)))
                }
            }
            line = end + 1
        }
        guard sigitInBlock == scan.sigitLines else {
            throw TrailerProblem("a Sigit- line outside the trailer block git reads")
        }
        return trailers
    }

    /// One pass over the lines: `Sigit-` lines, CR/VT/FF/NUL, a blank first line, `---` lines, scissors.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        var scan = Scan()
        var line = 0
        while line < bytes.count {
            var end = line
            var mark = false
            var blank = true
            while end < bytes.count, bytes[end] != 0x0A {
                let byte = bytes[end]
                if byte == 0x0D || byte == 0x0B || byte == 0x0C || byte == 0, scan.control == nil { scan.control = byte }
                if byte != 0x20, byte != 0x09 { blank = false }
                if end + 1 < bytes.count {
                    let next = bytes[end + 1]
                    if (byte == 0x3E && (next == 0x38 || next == 0x25)) || ((byte == 0x38 || byte == 0x25) && next == 0x3C) { mark = true }
                }
                end += 1
            }
            if line == 0, blank { scan.blankFirstLine = true }
            if end - line >= 3, bytes[line] == 0x2D, bytes[line + 1] == 0x2D, bytes[line + 2] == 0x2D { scan.dashLine = true }
            if mark, Self.isScissorsLine(UnsafeBufferPointer(rebasing: bytes[line..<end])) { scan.scissors = true }
            if Self.isSigitLine(bytes, line..<end) { scan.sigitLines += 1 }
            line = end + 1
        }
        return scan
    }

    /// Whether a trailer's key is a `Sigit-*` key (any case).
    static func isSigit(_ trailer: Trailer) -> Bool {
        trailer.key.utf8.count >= 6 && trailer.key.utf8.prefix(6).map(Self.lowercased).elementsEqual("sigit-".utf8)
    }

    /// A line that, after leading whitespace (git's or libgit2's), starts with `sigit-` in any case.
    static func isSigitLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        var index = line.lowerBound
        while index < line.upperBound, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0B || bytes[index] == 0x0C { index += 1 }
        guard line.upperBound - index >= 6 else { return false }
        return Self.lowercased(bytes[index]) == 0x73 && Self.lowercased(bytes[index + 1]) == 0x69 && Self.lowercased(bytes[index + 2]) == 0x67
            && Self.lowercased(bytes[index + 3]) == 0x69 && Self.lowercased(bytes[index + 4]) == 0x74 && bytes[index + 5] == 0x2D
    }

    /// git's whitespace: space, tab, carriage return, line feed.
    @inline(__always)
    static func isGitSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    /// ASCII lowercase.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// `strbuf_trim`: git's whitespace (space, tab, CR, LF) off both ends, decoded.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isGitSpace(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isGitSpace(bytes[upper - 1]) { upper -= 1 }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// The start of the line before the one at `line`.
    static func lineStart(_ bytes: UnsafeBufferPointer<UInt8>, before line: Int) -> Int {
        var index = max(0, line - 1)
        while index > 0, bytes[index - 1] != 0x0A { index -= 1 }
        return index
    }

    /// The line at `from`, shortened and quoted for a message.
    static func quotedLine(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> String {
        var end = from
        while end < bytes.count, bytes[end] != 0x0A, end - from < 60 { end += 1 }
        return Name.quoted(String(decoding: bytes[from..<end], as: UTF8.self))
    }

    /// A scissors line: what `git am --scissors` cuts at (git's `is_scissors_line`: a perforation of dashes
    /// with `>8`, `8<`, `>%` or `%<`, at least 8 wide, over a third of the line), or, stricter, any line with
    /// such a mark and a pair of dashes, like `git commit -v`'s cut line behind any comment character.
    static func isScissorsLine(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var scissors = 0, gap = 0, perforation = 0
        var inPerforation = false, hasDashPair = false
        var first: Int?, last: Int?
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                if inPerforation { perforation += 1; gap += 1 }
                index += 1
                continue
            }
            last = index
            if first == nil { first = index }
            if byte == 0x2D {
                if index + 1 < text.count, text[index + 1] == 0x2D { hasDashPair = true }
                inPerforation = true
                perforation += 1
                index += 1
                continue
            }
            if index + 1 < text.count {
                let next = text[index + 1]
                if (byte == 0x3E && (next == 0x38 || next == 0x25)) || ((byte == 0x38 || byte == 0x25) && next == 0x3C) {
                    inPerforation = true
                    perforation += 2
                    scissors += 2
                    index += 2
                    continue
                }
            }
            inPerforation = false
            index += 1
        }
        let visible = first.flatMap { start in last.map { $0 - start + 1 } } ?? 0
        if scissors > 0, visible >= 8, visible < perforation * 3, gap * 2 < perforation { return true }
        return scissors > 0 && hasDashPair
    }
}
