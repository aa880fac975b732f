internal import CLibgit2

extension Repository {
    /// Merges commit `theirs` into commit `ours` in memory (libgit2's defaults: merge base found
    /// automatically, renames detected) and returns the merged tree or the conflicting paths.
    ///
    /// Nothing but objects is written: no index, working tree or reference changes.
    public func mergeTrees(ours: ObjectID, theirs: ObjectID) throws -> MergeOutcome {
        let operation = "merge \(theirs.hex.prefix(12)) into \(ours.hex.prefix(12))"
        return try withCommit(ours) { ourCommit in
            try withCommit(theirs) { theirCommit in
                var index: OpaquePointer?
                try GitError.check(git_merge_commits(&index, pointer, ourCommit, theirCommit, nil), operation)
                defer { git_index_free(index) }
                if git_index_has_conflicts(index) == 1 {
                    return .conflicts(try Self.conflictPaths(index, operation))
                }
                var tree = git_oid()
                try GitError.check(git_index_write_tree_to(&tree, index, pointer), "write the tree of \(operation)")
                return .clean(tree: ObjectID(tree))
            }
        }
    }

    /// Every path named by a conflict entry (ancestor, ours or theirs) of `index`, sorted and unique.
    private static func conflictPaths(_ index: OpaquePointer?, _ operation: String) throws -> [String] {
        var iterator: OpaquePointer?
        try GitError.check(git_index_conflict_iterator_new(&iterator, index), "list the conflicts of \(operation)")
        defer { git_index_conflict_iterator_free(iterator) }
        var paths = Set<String>()
        while true {
            var ancestor: UnsafePointer<git_index_entry>?
            var our: UnsafePointer<git_index_entry>?
            var their: UnsafePointer<git_index_entry>?
            let result = git_index_conflict_next(&ancestor, &our, &their, iterator)
            if result == GIT_ITEROVER.rawValue {
                git_error_clear()
                break
            }
            try GitError.check(result, "list the conflicts of \(operation)")
            for entry in [ancestor, our, their] {
                if let entry, let path = entry.pointee.path { paths.insert(CString.decode(path)) }
            }
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
