/// The trailer block of a commit message as stock git finds it, ported from git 2.39's `trailer.c`
/// (`trailer_info_get`) with no `trailer.*` configuration: separator `:`, comment character `#`.
///
/// git has two readings of one message. `git interpret-trailers --parse` reads the whole message and
/// ends it at the first line that starts with `---` and a space (`find_patch_start`, the `git am`
/// divider); `git log --format=%(trailers)` reads from the subject (leading blank lines skipped) and
/// ignores `---` (`no_divider`). Both stop at the cut line of `git commit -v`
/// (`wt_status_locate_end`), drop trailing comment and blank lines and an old `Conflicts:` block
/// (`ignore_non_trailer`), and then look for the last paragraph that is all trailers, or 25% trailers
/// with a git-generated one (`find_trailer_start`). A line that starts with whitespace continues the
/// trailer above it. libgit2's `git_message_trailers` is an older port: it has no cut line, ends the
/// message at any line starting with `---`, and parses the block with its own state machine; the
/// caller decides what to do where the readings differ.
public struct TrailerBlock: Sendable, Equatable {
    /// UTF-8 offset of the block's first byte in the message; `start == end` when there is no block.
    public let start: Int
    /// UTF-8 offset just past the block.
    public let end: Int
    /// The block's entries as git splits them: one per line, a continuation line appended to the trailer
    /// above it (each entry keeps its line breaks).
    public let entries: [String]
    /// The entries that are trailers, key and value trimmed as git trims them; a continued value keeps its
    /// line breaks (unfold it to compare with `--parse`, which prints it on one line).
    public let trailers: [Trailer]

    /// Which of git's readings to mirror.
    public enum Reading: Sendable {
        /// `git interpret-trailers --parse`: the whole message, ended at a `---` divider line.
        case interpretTrailers
        /// `git log --format=%(trailers)`: from the subject on, no divider.
        case log
    }

    /// Finds the trailer block of `message` the way git does for `reading`.
    public init(message: String, reading: Reading) {
        var copy = message
        (start, end, entries, trailers) = copy.withUTF8 { whole in
            let bytes = UnsafeBufferPointer(rebasing: whole[..<(whole.firstIndex(of: 0) ?? whole.count)])  // git reads a C string
            let text = GitText(bytes)
            let range = Self.range(in: bytes, reading: reading)
            var entries: [Range<Int>] = []
            var lastIsTrailer = false
            var line = range.lowerBound
            while line < range.upperBound {
                let next = min(text.nextLine(line), range.upperBound)
                if lastIsTrailer, GitText.isSpace(bytes[line]), let last = entries.last {
                    entries[entries.count - 1] = last.lowerBound..<next
                } else {
                    entries.append(line..<next)
                    lastIsTrailer = text.findSeparator(from: line) >= 1
                }
                line = next
            }
            let trailers: [Trailer] = entries.compactMap { entry in
                if reading == .interpretTrailers, bytes[entry.lowerBound] == 0x23 { return nil }
                let separator = GitText(UnsafeBufferPointer(rebasing: bytes[entry])).findSeparator(from: 0)
                guard separator >= 1 else { return nil }
                return Trailer(key: Self.trimmed(bytes[entry.lowerBound..<(entry.lowerBound + separator)]),
                               value: Self.trimmed(bytes[(entry.lowerBound + separator + 1)..<entry.upperBound]))
            }
            return (range.lowerBound, range.upperBound, entries.map { String(decoding: bytes[$0], as: UTF8.self) }, trailers)
        }
    }

    /// The byte range of the trailer block in a message's bytes (no NUL inside) for `reading`.
    package static func range(in bytes: UnsafeBufferPointer<UInt8>, reading: Reading) -> Range<Int> {
        switch reading {
        case .interpretTrailers:
            return GitText(bytes).block(divider: true)
        case .log:
            let base = skipBlankLines(bytes)
            let range = GitText(UnsafeBufferPointer(rebasing: bytes[base...])).block(divider: false)
            return (base + range.lowerBound)..<(base + range.upperBound)
        }
    }

    /// git's `find_separator` for `:` on the line at `from`: offset of the colon after a key and optional
    /// blanks, or -1 (0 when the line starts with the colon).
    package static func separator(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        GitText(bytes).findSeparator(from: from)
    }

    /// `strbuf_trim` (git's whitespace off both ends), decoded.
    static func trimmed(_ slice: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var slice = slice
        while let first = slice.first, GitText.isSpace(first) { slice.removeFirst() }
        while let last = slice.last, GitText.isSpace(last) { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    /// Offset of the subject: `git log` skips lines that are blank (whitespace only) before it.
    static func skipBlankLines(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < bytes.count {
            var probe = index
            while probe < bytes.count, bytes[probe] != 0x0A, GitText.isSpace(bytes[probe]) { probe += 1 }
            guard probe < bytes.count else { return bytes.count }
            guard bytes[probe] == 0x0A else { return index }
            index = probe + 1
        }
        return index
    }
}
