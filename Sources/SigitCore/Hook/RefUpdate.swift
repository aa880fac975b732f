import GitKit

/// One line a `pre-receive` hook reads: `<old> <new> <ref>`; an all-zero id means "none" (creation or deletion).
public struct RefUpdate: Sendable, Equatable {
    /// The commit (or tag) the reference held; nil when it is created.
    public let old: ObjectID?
    /// The commit (or tag) it is to hold; nil when it is deleted.
    public let new: ObjectID?
    /// The full reference name, e.g. refs/heads/main.
    public let ref: String

    /// Parses the hook's standard input; refuses a line that is not `<hex> <hex> <ref>`.
    public static func parse(_ text: String) throws -> [RefUpdate] {
        try text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, let old = ObjectID(hex: parts[0]), let new = ObjectID(hex: parts[1]) else {
                throw SigitError.badInput("pre-receive: cannot read the line \(TerminalText.safe(String(line)))")
            }
            return RefUpdate(old: old == .zero ? nil : old, new: new == .zero ? nil : new, ref: parts[2])
        }
    }

    /// The branch name for refs/heads/<name>, else nil.
    public var branch: String? { ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : nil }
}
