import GitKit

extension EventTrailers {
    /// The `Sigit-*` trailers of a whole commit message exactly as git reads them; nil when the message has
    /// no line that could be one. Throws when git's two readings (`git interpret-trailers --parse`,
    /// `git log --format=%(trailers)`) and libgit2's could differ, or when any `Sigit-*` line is not a
    /// trailer of the block git reads (spec section 2, *Reading the message as git does*).
    ///
    /// A message with a `Sigit-` line (after any leading whitespace, any case) is refused when it has:
    /// a control character other than tab and line feed (a carriage return, NUL, vertical tab: git's and
    /// libgit2's whitespace differ, and git stops at NUL); a blank first line (`git log` skips it,
    /// `interpret-trailers` does not); a line starting with `---` (`git am`'s divider: git ends the message
    /// at `---` and whitespace, libgit2 at any `---`, `git log` at neither); a scissors line (git stops at
    /// `# ------------------------ >8 ------------------------`, libgit2 does not; any line `git am
    /// --scissors` would cut at, with any comment character, counts); a trailer block with a comment,
    /// a line that is not a trailer, or text after it (the block must be the message's last lines); a
    /// `Sigit-` line anywhere but as a trailer of that block, or continued onto the next line; or a
    /// `Sigit-*` trailer libgit2 reads differently.
    static func read(message: String) throws -> [Trailer]? {
        let bytes = Array(message.utf8)
        let lines = Self.lines(bytes)
        let sigitLines = lines.filter { Self.isSigitLine(bytes, $0) }
        guard !sigitLines.isEmpty else { return nil }

        if let bad = bytes.first(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }) {
            let name = bad == 0x0D ? "a carriage return" : bad == 0 ? "a NUL byte" : "control character \(bad)"
            throw TrailerProblem("the message holds \(name), which git and libgit2 read differently")
        }
        if let first = lines.first, bytes[first].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            throw TrailerProblem("the message starts with a blank line (git log skips it, git interpret-trailers does not)")
        }
        for line in lines {
            let text = bytes[line]
            if text.starts(with: "---".utf8) {
                throw TrailerProblem("a line starts with --- (git ends the message there for git am, libgit2 at any ---)")
            }
            if Self.isScissorsLine(text) {
                throw TrailerProblem("a scissors line (>8) cuts the message (git stops reading there, libgit2 does not)")
            }
        }

        let block = TrailerBlock(message: message, reading: .interpretTrailers)
        for entry in block.entries {
            let text = Array(entry.utf8)
            let isTrailer = text.first.map { $0 != 0x20 && $0 != 0x09 && $0 != UInt8(ascii: "#") } == true
                && Self.separator(text) >= 1
            guard isTrailer else {
                throw TrailerProblem("the trailer block holds a line that is not a trailer: \(Name.quoted(Self.firstLine(entry)))")
            }
        }
        if bytes[block.end...].contains(where: { $0 != 0x0A }) {
            throw TrailerProblem("text follows the trailer block: \(Name.quoted(Self.firstLine(String(decoding: bytes[block.end...].drop { $0 == 0x0A }, as: UTF8.self))))")
        }
        for line in sigitLines {
            let quoted = Name.quoted(String(decoding: bytes[line].prefix(60), as: UTF8.self))
            guard line.lowerBound >= block.start, line.upperBound <= block.end else {
                throw TrailerProblem("a Sigit- line outside the trailer block git reads: \(quoted)")
            }
            guard bytes[line].first.map(Self.isKeyStart) == true else {
                throw TrailerProblem("a Sigit- line continues the trailer above it: \(quoted)")
            }
        }

        let ours = block.trailers.filter(Self.isSigit)
        for trailer in ours where trailer.value.contains("\n") {
            throw TrailerProblem("trailer \(Name.quoted(trailer.key)) spans several lines")
        }
        let log = TrailerBlock(message: message, reading: .log).trailers.filter(Self.isSigit)
        let libgit2 = try Message.trailers(message).filter(Self.isSigit)
            .map { Trailer(key: $0.key, value: $0.value.trimmedFast(.whitespaces)) }
        guard log == ours, libgit2 == ours else {
            throw TrailerProblem("git and libgit2 read the Sigit- trailers differently")
        }
        return ours
    }

    /// Whether a trailer's key is a `Sigit-*` key (any case).
    static func isSigit(_ trailer: Trailer) -> Bool {
        trailer.key.utf8.count >= 6 && trailer.key.utf8.prefix(6).map(Self.lowercased).elementsEqual("sigit-".utf8)
    }

    /// The lines of `bytes` (line feeds excluded); a final line feed ends the last line.
    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            result.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { result.append(start..<bytes.count) }
        return result
    }

    /// A line that, after leading whitespace, starts with `sigit-` in any case.
    static func isSigitLine(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
        let text = bytes[line].drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
        return text.count >= 6 && text.prefix(6).map(Self.lowercased).elementsEqual("sigit-".utf8)
    }

    /// Whether a line that starts with `byte` can start a trailer key.
    static func isKeyStart(_ byte: UInt8) -> Bool { byte != 0x20 && byte != 0x09 }

    /// ASCII lowercase.
    static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }

    /// git's `find_separator` for `:`: offset of the colon after a key and optional blanks, or -1.
    static func separator(_ text: [UInt8]) -> Int {
        var blank = false
        for (index, byte) in text.enumerated() {
            if byte == UInt8(ascii: ":") { return index }
            let keyByte = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "-")
            if !blank, keyByte { continue }
            if index > 0, byte == 0x20 || byte == 0x09 { blank = true; continue }
            break
        }
        return -1
    }

    /// The first line of `text`, shortened for a message.
    static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" }.prefix(60))
    }

    /// A scissors line: what `git am --scissors` cuts at (git's `is_scissors_line`: a perforation of dashes
    /// with `>8`, `8<`, `>%` or `%<`, at least 8 wide, over a third of the line), or any line holding
    /// `>8`/`8<` next to dashes, such as `git commit -v`'s cut line behind any comment character.
    static func isScissorsLine(_ line: ArraySlice<UInt8>) -> Bool {
        let text = Array(line)
        var scissors = 0, gap = 0, perforation = 0
        var inPerforation = false
        var first: Int?, last: Int?
        var index = 0
        var hasMark = false
        while index < text.count {
            let byte = text[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                if inPerforation { perforation += 1; gap += 1 }
                index += 1
                continue
            }
            last = index
            if first == nil { first = index }
            if byte == UInt8(ascii: "-") {
                inPerforation = true
                perforation += 1
                index += 1
                continue
            }
            if index + 1 < text.count {
                let pair = (byte, text[index + 1])
                let isMark = pair == (UInt8(ascii: ">"), UInt8(ascii: "8")) || pair == (UInt8(ascii: "8"), UInt8(ascii: "<"))
                    || pair == (UInt8(ascii: ">"), UInt8(ascii: "%")) || pair == (UInt8(ascii: "%"), UInt8(ascii: "<"))
                if isMark {
                    hasMark = true
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
        let visible = first.flatMap { f in last.map { $0 - f + 1 } } ?? 0
        if scissors > 0, visible >= 8, visible < perforation * 3, gap * 2 < perforation { return true }
        // Stricter than git: any >8 / 8< mark with a dash pair on the line.
        return hasMark && text.indices.dropLast().contains { text[$0] == UInt8(ascii: "-") && text[$0 + 1] == UInt8(ascii: "-") }
    }
}
