/// git's transfer progress as a remote sends it on the sideband ("Counting objects: 100% (3/3), done."): noise
/// beside what a remote's hook says, shown by `sigit sync --verbose` only.
public enum RemoteProgress {
    /// The starts of the progress lines git's pack-objects and receive-pack write.
    static let prefixes = [
        "Enumerating objects", "Counting objects", "Compressing objects", "Writing objects",
        "Delta compression using", "Resolving deltas", "Unpacking objects", "Receiving objects", "Indexing objects",
    ]

    /// True when `line` is transfer progress, not a message.
    public static func isProgress(_ line: String) -> Bool {
        prefixes.contains { line.hasPrefix($0) } || (line.hasPrefix("Total ") && line.contains("(delta "))
    }

    /// `lines` split into messages and progress, each in order.
    public static func split(_ lines: [String]) -> (messages: [String], progress: [String]) {
        (lines.filter { !isProgress($0) }, lines.filter(isProgress))
    }
}
