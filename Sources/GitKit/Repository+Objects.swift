internal import CLibgit2

extension Repository {
    /// Calls `body` with the commit `id`, freed afterwards.
    func withCommit<R>(_ id: ObjectID, _ body: (OpaquePointer) throws -> R) throws -> R {
        var oid = id.oid
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, pointer, &oid), "read commit \(id)")
        guard let commit else { throw missing("commit", id) }
        defer { git_commit_free(commit) }
        return try body(commit)
    }

    /// Calls `body` with the tree `id`, freed afterwards.
    func withTree<R>(_ id: ObjectID, _ body: (OpaquePointer) throws -> R) throws -> R {
        var oid = id.oid
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, pointer, &oid), "read tree \(id)")
        guard let tree else { throw missing("tree", id) }
        defer { git_tree_free(tree) }
        return try body(tree)
    }

    /// The error for a lookup that succeeded without returning an object.
    private func missing(_ kind: String, _ id: ObjectID) -> GitError {
        GitError(code: .notFound, operation: "read \(kind) \(id)", message: "libgit2 returned no object")
    }
}
