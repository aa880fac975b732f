import Foundation
internal import CLibgit2

extension Repository {
    /// Reads commit `id`: tree, parents, author, committer and the raw message.
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        try withCommit(id) { commit in
            let parents = Self.parentIDs(commit)
            guard let tree = git_commit_tree_id(commit), let author = git_commit_author(commit),
                  let committer = git_commit_committer(commit) else {
                throw GitError(code: .other(-1), operation: "read commit \(id)", message: "the commit is incomplete")
            }
            return CommitInfo(
                id: id, tree: ObjectID(tree), parents: parents,
                author: Signature(author), committer: Signature(committer),
                message: CString.decode(git_commit_message_raw(commit)),
                encoding: git_commit_message_encoding(commit).map { CString.decode($0) })
        }
    }

    /// The parents of commit `id`, first parent first: only the ids, nothing decoded.
    public func parents(of id: ObjectID) throws -> [ObjectID] {
        try withCommit(id) { Self.parentIDs($0) }
    }

    /// The parent ids of an open commit, first parent first.
    private static func parentIDs(_ commit: OpaquePointer) -> [ObjectID] {
        let count = git_commit_parentcount(commit)
        var parents: [ObjectID] = []
        parents.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let parent = git_commit_parent_id(commit, index) else { continue }
            parents.append(ObjectID(parent))
        }
        return parents
    }

    /// The `gpgsig` header of commit `id` and the bytes it signs (the commit without that header); nil when unsigned.
    ///
    /// The signature is the header's value with continuation spaces removed: the armored text
    /// without its final newline.
    ///
    /// A missing object throws (libgit2 reports it with the same code as "unsigned", so on that code the object
    /// database is asked whether the commit exists: an index lookup, not a second read of the commit).
    public func signedPayload(of id: ObjectID) throws -> (signature: String, payload: Data)? {
        var oid = id.oid
        var signature = git_buf()
        var payload = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&payload)
        }
        let result = git_commit_extract_signature(&signature, &payload, pointer, &oid, nil)
        if GitError.isNotFound(result) {
            git_error_clear()
            guard try exists(id) else { throw GitError(code: .notFound, operation: "read commit \(id)", message: "no such object") }
            return nil
        }
        try GitError.check(result, "read the signature of commit \(id)")
        return (CString.decode(signature), CString.data(payload))
    }

    /// Whether the object database holds object `id` (an index lookup; nothing is read).
    public func exists(_ id: ObjectID) throws -> Bool {
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, pointer), "open the object database")
        defer { git_odb_free(odb) }
        var oid = id.oid
        return git_odb_exists(odb, &oid) == 1
    }

    /// The entries directly inside tree `id`, in git's order.
    public func treeEntries(_ id: ObjectID) throws -> [TreeEntry] {
        try withTree(id) { tree in
            let count = git_tree_entrycount(tree)
            var entries: [TreeEntry] = []
            entries.reserveCapacity(count)
            for index in 0..<count {
                guard let entry = git_tree_entry_byindex(tree, index) else { continue }
                entries.append(TreeEntry(
                    name: CString.decode(git_tree_entry_name(entry)),
                    id: ObjectID(git_tree_entry_id(entry)),
                    mode: UInt32(git_tree_entry_filemode(entry).rawValue)))
            }
            return entries
        }
    }

    /// The entry at `path` ("a/b/c") below tree `id`; nil when there is none.
    public func treeEntry(_ id: ObjectID, path: String) throws -> TreeEntry? {
        try withTree(id) { tree in
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, tree, path)
            if GitError.isNotFound(result) {
                git_error_clear()
                return nil
            }
            try GitError.check(result, "find \(path) in tree \(id)")
            guard let entry else { return nil }
            defer { git_tree_entry_free(entry) }
            return TreeEntry(
                name: CString.decode(git_tree_entry_name(entry)),
                id: ObjectID(git_tree_entry_id(entry)),
                mode: UInt32(git_tree_entry_filemode(entry).rawValue))
        }
    }

    /// Every non-tree entry below tree `id`, with paths relative to it prefixed by `prefix`, sorted by path.
    /// Throws when trees nest deeper than `maxDepth` below `id` (a hostile repository can nest them 100,000 deep).
    public func files(_ id: ObjectID, prefix: String = "", maxDepth: Int = 64) throws -> [FileEntry] {
        let listing = try fileListing(id, prefix: prefix, maxDepth: maxDepth)
        if let deep = listing.tooDeep {
            throw GitError(code: .other(-1), operation: "list tree \(id)", message: "trees nest deeper than \(maxDepth) levels at \(deep)")
        }
        return listing.files
    }

    /// Every non-tree entry below tree `id`, listed without recursion; trees deeper than `maxDepth` levels below `id`
    /// are not entered, and the first one is named in `tooDeep`.
    public func fileListing(_ id: ObjectID, prefix: String = "", maxDepth: Int) throws -> FileListing {
        var out: [FileEntry] = []
        var tooDeep: String?
        var pending: [(tree: ObjectID, path: String, depth: Int)] = [(id, prefix, 0)]
        while let (tree, path, depth) = pending.popLast() {
            for entry in try treeEntries(tree) {
                let full = path + entry.name
                if entry.isTree {
                    if depth + 1 > maxDepth {
                        if tooDeep == nil { tooDeep = full }
                        continue
                    }
                    pending.append((entry.id, full + "/", depth + 1))
                } else {
                    out.append(FileEntry(path: full, id: entry.id, mode: entry.mode))
                }
            }
        }
        return FileListing(files: out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }, tooDeep: tooDeep)
    }

    /// The bytes of blob `id`.
    public func blob(_ id: ObjectID) throws -> Data {
        var oid = id.oid
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, pointer, &oid), "read blob \(id)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    /// Commits reachable from `tips` and not from `hiding`; topological, parents before children when `reverse`.
    ///
    /// When libgit2 cannot parse a commit on the way (a malformed committer line), the walk is done again from the raw
    /// commit headers (`robustWalk`), so one hostile commit cannot stop every command.
    public func walk(from tips: [ObjectID], hiding: [ObjectID] = [], reverse: Bool = true) throws -> [ObjectID] {
        do {
            return try revwalk(from: tips, hiding: hiding, reverse: reverse)
        } catch {
            for tip in tips + hiding where try !exists(tip) { throw error }
            return try robustWalk(from: tips, hiding: hiding, reverse: reverse)
        }
    }

    /// libgit2's topological walk.
    private func revwalk(from tips: [ObjectID], hiding: [ObjectID], reverse: Bool) throws -> [ObjectID] {
        var walker: OpaquePointer?
        try GitError.check(git_revwalk_new(&walker, pointer), "start a history walk")
        defer { git_revwalk_free(walker) }
        var sorting = GIT_SORT_TOPOLOGICAL.rawValue
        if reverse { sorting |= GIT_SORT_REVERSE.rawValue }
        try GitError.check(git_revwalk_sorting(walker, sorting), "sort a history walk")
        for tip in tips {
            var oid = tip.oid
            try GitError.check(git_revwalk_push(walker, &oid), "walk from \(tip)")
        }
        for tip in hiding {
            var oid = tip.oid
            try GitError.check(git_revwalk_hide(walker, &oid), "hide \(tip) from a walk")
        }
        var out: [ObjectID] = []
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, walker)
            if result == GIT_ITEROVER.rawValue {
                git_error_clear()
                break
            }
            try GitError.check(result, "walk history")
            out.append(ObjectID(oid))
        }
        return out
    }

    /// The best common ancestor of two commits; nil when they share no history.
    public func mergeBase(_ one: ObjectID, _ two: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var a = one.oid
        var b = two.oid
        let result = git_merge_base(&out, pointer, &a, &b)
        if GitError.isNotFound(result) {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "find the merge base of \(one) and \(two)")
        return ObjectID(out)
    }

    /// True when `commit` has `ancestor` in its history (a commit is not its own descendant).
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws -> Bool {
        var a = commit.oid
        var b = ancestor.oid
        let result = git_graph_descendant_of(pointer, &a, &b)
        try GitError.check(result, "compare \(commit) with \(ancestor)")
        return result == 1
    }
}
