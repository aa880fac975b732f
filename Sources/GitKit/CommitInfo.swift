/// Everything a commit object records, copied out of libgit2.
public struct CommitInfo: Sendable {
    /// The commit's own id.
    public let id: ObjectID
    /// The root tree of the commit.
    public let tree: ObjectID
    /// The parents, in the order the commit lists them (first parent first).
    public let parents: [ObjectID]
    /// Who wrote the change.
    public let author: Signature
    /// Who made the commit.
    public let committer: Signature
    /// The full raw message, trailers included, exactly as stored.
    public let message: String
    /// The commit's `encoding` header, nil when it has none (UTF-8). `git log` re-encodes the message from it.
    public let encoding: String?

    /// Creates a commit description from its parts.
    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], author: Signature,
                committer: Signature, message: String, encoding: String? = nil) {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.author = author
        self.committer = committer
        self.message = message
        self.encoding = encoding
    }
}
