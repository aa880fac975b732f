/// Where a comment thread is anchored inside an agreement (docs/FORMAT.md, *comment*): a file of the agreement's
/// folder and, optionally, a line of it. The shape rules here are the ones `Sigit-File` and `Sigit-Line` must meet.
public enum CommentAnchor {
    /// The longest `Sigit-File` value, in bytes.
    static let maxPathBytes = 1024

    /// Why `path` cannot name a file of an agreement's folder (relative, `/`-separated, no empty, `.` or `..`
    /// component, no control characters or backslashes); nil when it can.
    public static func problem(path: String) -> String? {
        guard !path.isEmpty, path.utf8.count <= maxPathBytes else { return "a file path is 1 to \(maxPathBytes) bytes" }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            return "a file path holds no control characters or backslashes"
        }
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part != ".", part != ".." else { return "a file path is relative to the agreement's folder, without empty, '.' or '..' parts" }
        }
        return nil
    }

    /// The line number `text` writes (decimal digits, 1 to 9999999); nil when it is not one.
    public static func lineNumber(_ text: String) -> Int? {
        guard (1...7).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.utf8.first != 0x30, let value = Int(text) else { return nil }
        return value
    }

    /// How many lines `bytes` holds (a last line without a newline counts).
    public static func lineCount(_ bytes: [UInt8]) -> Int {
        let newlines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return newlines + (bytes.last.map { $0 == 0x0A ? 0 : 1 } ?? 0)
    }
}
