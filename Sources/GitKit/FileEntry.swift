/// A file (blob or symbolic link) found by a recursive tree listing, named by its full path.
public struct FileEntry: Sendable, Equatable {
    /// The path relative to the listed tree, components separated by "/".
    public let path: String
    /// The blob holding the file's content (or the link's target).
    public let id: ObjectID
    /// The git file mode: 0o100644, 0o100755 or 0o120000.
    public let mode: UInt32

    /// Creates a file entry from its parts.
    public init(path: String, id: ObjectID, mode: UInt32) {
        self.path = path
        self.id = id
        self.mode = mode
    }

    /// True for a regular file (mode 100644 or 100755): not a link, not a submodule.
    public var isRegular: Bool { mode == 0o100644 || mode == 0o100755 }
}
