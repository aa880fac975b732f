/// Every non-tree entry below a tree, found without recursion and with a depth limit: a hostile repository can nest
/// trees 100,000 deep, which a recursive listing would follow until the stack overflows.
public struct FileListing: Sendable, Equatable {
    /// The entries found (regular files, links, submodules), sorted bytewise by path.
    public let files: [FileEntry]
    /// The path of the first tree found deeper than the limit (its contents are not listed); nil when none is.
    public let tooDeep: String?

    /// Creates a listing from its parts.
    public init(files: [FileEntry], tooDeep: String?) {
        self.files = files
        self.tooDeep = tooDeep
    }

    /// The first entry that is not a regular file (mode 100644 or 100755): a link, a submodule or anything else.
    public var irregular: FileEntry? {
        files.first { $0.mode != 0o100644 && $0.mode != 0o100755 }
    }
}
