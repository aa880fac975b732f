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
            // libgit2 fails on removing a path that is not there; TreeUpdate promises to ignore it.
            var upserted = Set<String>()
            var pending = updates
            pending.removeAll { update in
                switch update {
                case .upsert(let path, _, _):
                    upserted.insert(path)
                    return false
                case .remove(let path):
                    return !upserted.contains(path) && !Self.treeContains(tree, path: path)
                }
            }
            guard !pending.isEmpty else { return baseline }
            let paths = pending.map { strdup($0.path) }
            defer { paths.forEach { free($0) } }
            var raw: [git_tree_update] = []
            for (index, update) in pending.enumerated() {
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

    /// True when `path` names an entry (file or folder) below `tree`.
    private static func treeContains(_ tree: OpaquePointer, path: String) -> Bool {
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, tree, path)
        if let entry { git_tree_entry_free(entry) }
        if result < 0 { git_error_clear() }
        return result == 0
    }

    /// The raw bytes of a commit object, not yet stored: what a signature covers.
    ///
    /// A NUL byte in the message or a name would be cut off silently by libgit2, so it is refused.
    public func commitBuffer(tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
                             message: String) throws -> Data {
        let texts = [message, author.name, author.email, committer.name, committer.email]
        guard !texts.contains(where: { $0.utf8.contains(0) }) else {
            throw GitError(code: .invalidSpec, operation: "prepare a commit",
                           message: "the message, a name or an email contains a NUL character")
        }
        return try withTree(tree) { treePointer in
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
    ///
    /// The header is written the way `git commit -S` writes it: the signature's final newline
    /// (ssh-keygen ends its armor with one) is not kept as an empty continuation line, so git
    /// gives back exactly the armored text. A buffer holding a NUL byte, which libgit2 would
    /// silently cut short (storing bytes other than the ones signed), is refused.
    public func createCommit(buffer: Data, signature: String?) throws -> ObjectID {
        let operation = "write a commit"
        guard !buffer.contains(0) else {
            throw GitError(code: .invalidSpec, operation: operation, message: "the commit buffer contains a NUL byte")
        }
        var header: String?
        if let signature {
            var trimmed = Substring(signature)
            while let last = trimmed.last, last == "\n" || last == "\r\n" { trimmed = trimmed.dropLast() }
            guard !trimmed.isEmpty, !trimmed.utf8.contains(0) else {
                throw GitError(code: .invalidSpec, operation: operation, message: "the signature is empty or contains a NUL byte")
            }
            header = String(trimmed)
        }
        var oid = git_oid()
        let result = (buffer + [0]).withUnsafeBytes { raw in
            raw.withMemoryRebound(to: CChar.self) { content in
                git_commit_create_with_signature(&oid, pointer, content.baseAddress, header, nil)
            }
        }
        try GitError.check(result, operation)
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
