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
        var bytes = Array(message.utf8)
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }  // git reads a C string
        var base = 0
        if reading == .log { base = Self.skipBlankLines(bytes) }
        let text = GitText(Array(bytes[base...]))
        let patchStart = reading == .interpretTrailers ? text.patchStart() : text.count
        let end = text.trailerEnd(patchStart)
        let start = text.trailerStart(end)
        var entries: [[UInt8]] = []
        var lastIsTrailer = false
        var line = start
        while line < end {
            let next = min(text.nextLine(line), end)
            let piece = Array(text.bytes[line..<next])
            if lastIsTrailer, let first = piece.first, GitText.isSpace(first) {
                entries[entries.count - 1] += piece
            } else {
                entries.append(piece)
                lastIsTrailer = GitText.findSeparator(piece, from: 0) >= 1
            }
            line = next
        }
        self.start = base + start
        self.end = base + max(start, end)
        self.entries = entries.map { String(decoding: $0, as: UTF8.self) }
        self.trailers = entries.compactMap { entry in
            if reading == .interpretTrailers, entry.first == UInt8(ascii: "#") { return nil }
            let separator = GitText.findSeparator(entry, from: 0)
            guard separator >= 1 else { return nil }
            return Trailer(key: String(decoding: GitText.trim(entry[..<separator]), as: UTF8.self),
                           value: String(decoding: GitText.trim(entry[(separator + 1)...]), as: UTF8.self))
        }
    }

    /// Offset of the subject: `git log` skips lines that are blank (whitespace only) before it.
    static func skipBlankLines(_ bytes: [UInt8]) -> Int {
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
