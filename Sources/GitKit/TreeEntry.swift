/// One entry of a git tree: a name, the object it points to and its file mode.
public struct TreeEntry: Sendable, Equatable {
    /// The entry's name within its tree (one path component).
    public let name: String
    /// The blob, tree or commit the entry points to.
    public let id: ObjectID
    /// The git file mode: 0o100644, 0o100755, 0o120000 (link), 0o040000 (tree), 0o160000 (submodule).
    public let mode: UInt32

    /// Creates an entry from its parts.
    public init(name: String, id: ObjectID, mode: UInt32) {
        self.name = name
        self.id = id
        self.mode = mode
    }

    /// True when the entry is a subtree (directory).
    public var isTree: Bool { mode & 0o170000 == 0o040000 }
    /// True when the entry is a regular file, executable or not.
    public var isFile: Bool { mode & 0o170000 == 0o100000 }
    /// True when the entry is a symbolic link.
    public var isSymlink: Bool { mode & 0o170000 == 0o120000 }
    /// True when the entry is a submodule (a commit of another repository).
    public var isSubmodule: Bool { mode & 0o170000 == 0o160000 }
}
