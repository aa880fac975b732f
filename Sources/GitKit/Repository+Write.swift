import Foundation
internal import CLibgit2

extension Repository {
    /// Stores `data` as a blob and returns its id.
    public func writeBlob(_ data: Data) throws -> ObjectID {
        var oid = git_oid()
        let result = data.withUnsafeBytes { raw in
            git_blob_create_from_buffer(&oid, pointer, raw.baseAddress, raw.count)
        }
        try GitError.check(result, "write a blob")
        return ObjectID(oid)
    }

    /// Writes (if needed) and returns the empty tree.
    public func emptyTree() throws -> ObjectID {
        var builder: OpaquePointer?
        try GitError.check(git_treebuilder_new(&builder, pointer, nil), "build an empty tree")
        defer { git_treebuilder_free(builder) }
        var oid = git_oid()
        try GitError.check(git_treebuilder_write(&oid, builder), "write an empty tree")
        return ObjectID(oid)
    }

    /// Writes the tree that results from applying `updates` to `base` (the empty tree when nil).
    public func updatedTree(base: ObjectID?, _ updates: [TreeUpdate]) throws -> ObjectID {
        let baseline = try base ?? emptyTree()
        guard !updates.isEmpty else { return baseline }
        return try withTree(baseline) { tree in
            let paths = updates.map { strdup($0.path) }
            defer { paths.forEach { free($0) } }
            var raw: [git_tree_update] = []
            for (index, update) in updates.enumerated() {
                var item = git_tree_update()
                item.path = UnsafePointer(paths[index])
                switch update {
                case .upsert(_, let blob, let mode):
                    item.action = GIT_TREE_UPDATE_UPSERT
                    item.id = blob.oid
                    item.filemode = git_filemode_t(rawValue: mode)
                case .remove:
                    item.action = GIT_TREE_UPDATE_REMOVE
                }
                raw.append(item)
            }
            var oid = git_oid()
            try GitError.check(git_tree_create_updated(&oid, pointer, tree, raw.count, &raw), "build a tree")
            return ObjectID(oid)
        }
    }

    /// The raw bytes of a commit object, not yet stored: what a signature covers.
    public func commitBuffer(tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
                             message: String) throws -> Data {
        try withTree(tree) { treePointer in
            try author.withGitSignature { authorSignature in
                try committer.withGitSignature { committerSignature in
                    try withCommits(parents) { parentPointers in
                        var buffer = git_buf()
                        defer { git_buf_dispose(&buffer) }
                        var constParents: [OpaquePointer?] = parentPointers.map { Optional($0) }
                        let result = constParents.withUnsafeMutableBufferPointer { list in
                            git_commit_create_buffer(&buffer, pointer, authorSignature, committerSignature, nil,
                                                     message, treePointer, list.count, list.baseAddress)
                        }
                        try GitError.check(result, "prepare a commit")
                        return CString.data(buffer)
                    }
                }
            }
        }
    }

    /// Stores the commit `buffer` with `signature` as its `gpgsig` header (unsigned when nil) and returns its id.
    public func createCommit(buffer: Data, signature: String?) throws -> ObjectID {
        var oid = git_oid()
        let content = String(decoding: buffer, as: UTF8.self)
        let result = git_commit_create_with_signature(&oid, pointer, content, signature, nil)
        try GitError.check(result, "write a commit")
        return ObjectID(oid)
    }

    /// Calls `body` with the commits `ids` looked up, all freed afterwards.
    private func withCommits<R>(_ ids: [ObjectID], _ body: ([OpaquePointer]) throws -> R) throws -> R {
        var looked: [OpaquePointer] = []
        defer { looked.forEach { git_commit_free($0) } }
        for id in ids {
            var oid = id.oid
            var commit: OpaquePointer?
            try GitError.check(git_commit_lookup(&commit, pointer, &oid), "read commit \(id)")
            if let commit { looked.append(commit) }
        }
        return try body(looked)
    }
}
