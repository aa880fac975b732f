/// How one path differs between two trees, with the unified diff git would print for it.
public struct FileDiff: Sendable, Equatable {
    /// What happened to the path.
    public enum Status: Sendable, Equatable {
        /// The path exists only in the new tree.
        case added
        /// The path exists only in the old tree.
        case deleted
        /// The path exists in both trees with different content or mode.
        case modified
        /// The content moved from `oldPath` to `newPath` (possibly with changes).
        case renamed
        /// The path changed kind, e.g. from a file to a symbolic link.
        case typeChanged
    }

    /// What happened to the path.
    public let status: Status
    /// The path in the old tree; nil when added.
    public let oldPath: String?
    /// The path in the new tree; nil when deleted.
    public let newPath: String?
    /// The blob (or submodule commit) in the old tree; nil when added.
    public let oldBlob: ObjectID?
    /// The blob (or submodule commit) in the new tree; nil when deleted.
    public let newBlob: ObjectID?
    /// The git file mode in the old tree (e.g. 0o100644); nil when added.
    public let oldMode: UInt32?
    /// The git file mode in the new tree; nil when deleted.
    public let newMode: UInt32?
    /// True when either side is binary (libgit2's verdict, or a NUL byte anywhere in a blob).
    public let isBinary: Bool
    /// The unified diff ("diff --git" header, hunks with -/+ lines), decoded as UTF-8 leniently; "" when binary.
    public let patch: String

    /// Creates a file diff from its parts.
    public init(status: Status, oldPath: String?, newPath: String?, oldBlob: ObjectID?, newBlob: ObjectID?,
                oldMode: UInt32?, newMode: UInt32?, isBinary: Bool, patch: String) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.oldBlob = oldBlob
        self.newBlob = newBlob
        self.oldMode = oldMode
        self.newMode = newMode
        self.isBinary = isBinary
        self.patch = patch
    }

    /// The path the change is best known by: the new path, or the old one when deleted.
    public var path: String { newPath ?? oldPath ?? "" }
}
