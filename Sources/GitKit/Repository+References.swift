internal import CLibgit2

extension Repository {
    /// The full name of the branch HEAD points to (e.g. "refs/heads/main"), also when it is unborn; "HEAD" when detached.
    public func headReferenceName() throws -> String {
        var reference: OpaquePointer?
        try GitError.check(git_reference_lookup(&reference, pointer, "HEAD"), "read HEAD")
        defer { git_reference_free(reference) }
        guard git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC else { return "HEAD" }
        return CString.decode(git_reference_symbolic_target(reference))
    }

    /// The object a full reference name points to, following symbolic references; nil when it does not exist.
    public func resolveReference(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if GitError.isNotFound(result) { return nil }
        try GitError.check(result, "resolve reference \(name)")
        return ObjectID(oid)
    }

    /// Resolves a revision spec ("HEAD~2", "main", a hex id, a tag) to the commit it names.
    ///
    /// A short name is read as a branch first, then as a tag, then as git would (`disambiguated`): a tag or
    /// any other reference named like a branch never shadows it. Replace references (`refs/replace/`) are never
    /// applied: libgit2 implements no object replacement (libgit2 issue 1730), so every object is read as stored.
    public func revparse(_ spec: String) throws -> ObjectID {
        let full = disambiguated(spec)
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, pointer, full), "find revision \(spec)")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try GitError.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "find the commit of revision \(spec)")
        defer { git_object_free(commit) }
        guard let id = git_object_id(commit) else {
            throw GitError(code: .notFound, operation: "find revision \(spec)", message: "libgit2 returned no id")
        }
        return ObjectID(id)
    }

    /// Points reference `name` at `new` only if it still points at `old` (nil: only if it does not exist yet), writing `message` to the reflog.
    ///
    /// A concurrent change makes this fail with `.modified` (or `.exists` when `old` is nil) and
    /// leaves the reference as the other writer left it.
    public func updateReference(_ name: String, to new: ObjectID, expecting old: ObjectID?, message: String) throws {
        let operation = "update \(name) to \(new.hex.prefix(12))"
        var newOID = new.oid
        var reference: OpaquePointer?
        let result: Int32
        if let old {
            var oldOID = old.oid
            result = git_reference_create_matching(&reference, pointer, name, &newOID, 1, &oldOID, message)
        } else {
            result = git_reference_create_matching(&reference, pointer, name, &newOID, 0, nil, message)
        }
        if let reference { git_reference_free(reference) }
        if result < 0 {
            let error = GitError.last(result, operation)
            if old != nil, error.code == .notFound {
                // The reference vanished: the expected old value no longer holds.
                throw GitError(code: .modified, operation: operation,
                               message: "\(name) was expected at \(old?.hex.prefix(12) ?? "") but does not exist (\(error.message))")
            }
            throw error
        }
    }
}

extension Repository {
    /// The lock file git and libgit2 create while they rewrite reference `name` (e.g. `.git/refs/heads/main.lock`).
    ///
    /// Branches live in the common git directory, shared by all worktrees of a repository.
    public func referenceLockPath(_ name: String) -> String {
        Self.trimmingTrailingSlash(CString.decode(git_repository_commondir(pointer))) + "/" + name + ".lock"
    }
}
