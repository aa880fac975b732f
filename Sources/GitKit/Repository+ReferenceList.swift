internal import CLibgit2

extension Repository {
    /// Every direct reference whose name matches the glob `pattern` (e.g. "refs/heads/*"), with the object it
    /// points to; symbolic references are skipped.
    public func references(matching pattern: String) throws -> [String: ObjectID] {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_glob_new(&iterator, pointer, pattern), "list references \(pattern)")
        defer { git_reference_iterator_free(iterator) }
        var found: [String: ObjectID] = [:]
        while true {
            var reference: OpaquePointer?
            let result = git_reference_next(&reference, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "list references \(pattern)")
            defer { git_reference_free(reference) }
            guard git_reference_type(reference) == GIT_REFERENCE_DIRECT, let target = git_reference_target(reference) else { continue }
            found[CString.decode(git_reference_name(reference))] = ObjectID(target)
        }
        return found
    }
}

extension Repository {
    /// Deletes reference `name` (with its reflog); nothing happens when it does not exist.
    public func deleteReference(_ name: String) throws {
        let result = git_reference_remove(pointer, name)
        if GitError.isNotFound(result) {
            git_error_clear()
            return
        }
        try GitError.check(result, "delete \(name)")
    }
}
