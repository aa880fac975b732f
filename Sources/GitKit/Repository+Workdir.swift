import Foundation
internal import CLibgit2

extension Repository {
    /// Paths under `prefixes` whose index or working-tree content differs from HEAD, untracked files included.
    ///
    /// A difference is any change git's status sees: content, deletion, a new file, the executable bit (unless
    /// `core.fileMode` is false), a file turned into a symbolic link or a folder. `includingIgnored` also lists
    /// new files a `.gitignore` hides. Each path is relative to the working directory; a folder the status
    /// could not descend into (a symbolic link in place of a folder) is listed under its own name.
    public func changedPaths(under prefixes: [String], includingIgnored: Bool = false) throws -> [String] {
        guard !isBare else { return [] }
        var options = git_status_options()
        try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        if includingIgnored {
            options.flags |= GIT_STATUS_OPT_INCLUDE_IGNORED.rawValue | GIT_STATUS_OPT_RECURSE_IGNORED_DIRS.rawValue
        }
        return try CString.withStrarray(prefixes) { pathspec in
            options.pathspec = pathspec.pointee
            var list: OpaquePointer?
            try GitError.check(git_status_list_new(&list, pointer, &options), "read the working tree status")
            defer { git_status_list_free(list) }
            var out: [String] = []
            for index in 0..<git_status_list_entrycount(list) {
                guard let entry = git_status_byindex(list, index) else { continue }
                let delta = entry.pointee.index_to_workdir ?? entry.pointee.head_to_index
                guard let delta else { continue }
                let path = delta.pointee.new_file.path ?? delta.pointee.old_file.path
                out.append(CString.decode(path))
            }
            return out
        }
    }

    /// Makes the index and working tree match HEAD at `paths` (files or folders), after HEAD moved.
    ///
    /// Only call after checking `changedPaths(under:)` is empty for them: local edits there are overwritten.
    public func checkoutHead(paths: [String]) throws {
        guard !isBare, !paths.isEmpty else { return }
        var options = git_checkout_options()
        try GitError.check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare checkout")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try CString.withStrarray(paths) { pathspec in
            options.paths = pathspec.pointee
            try checkIndexWrite(git_checkout_head(pointer, &options), "update the working tree at \(paths.joined(separator: ", "))")
        }
    }
}

extension Repository {
    /// Makes the index match HEAD at `paths` (files or folders), like `git reset -q -- PATHS`; the working tree is left alone.
    public func resetIndexToHead(paths: [String]) throws {
        guard !isBare, !paths.isEmpty else { return }
        var head: OpaquePointer?
        try GitError.check(git_revparse_single(&head, pointer, "HEAD"), "read HEAD")
        defer { git_object_free(head) }
        try CString.withStrarray(paths) { pathspec in
            try checkIndexWrite(git_reset_default(pointer, head, pathspec), "reset the index at \(paths.joined(separator: ", "))")
        }
    }

    /// Stages `paths` as they are in the working tree (removed from the index when the file is gone), like `git add -A`.
    public func stageFromWorkdir(paths: [String]) throws {
        guard let workdir, !paths.isEmpty else { return }
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, pointer), "open the index")
        defer { git_index_free(index) }
        // Start from the index as it is on disk now, not as this handle last read it, so entries another
        // process wrote since are kept.
        try GitError.check(git_index_read(index, 0), "read the index")
        for path in paths {
            if FileManager.default.fileExists(atPath: workdir + "/" + path) {
                try GitError.check(git_index_add_bypath(index, path), "stage \(path)")
            } else {
                let result = git_index_remove_bypath(index, path)
                try GitError.check(result, "unstage \(path)")
            }
        }
        try checkIndexWrite(git_index_write(index), "write the index")
    }

    /// Like `GitError.check`, naming the index lock file when another process holds it (libgit2 does not).
    func checkIndexWrite(_ result: Int32, _ operation: String) throws {
        guard result < 0 else { return }
        let error = GitError.last(result, operation)
        guard error.code == .locked else { throw error }
        throw GitError(code: .locked, operation: operation, message: "\(indexLockPath) exists: another git process is using the index, or one was killed while doing so; if no git process is running in this repository, remove that file and try again")
    }
}

extension Repository {
    /// The blob id the working-tree file at `path` (relative to the working directory) would get, after git's
    /// filters; nil when there is no such file.
    public func workdirBlobID(_ path: String) throws -> ObjectID? {
        guard let workdir else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workdir + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        var oid = git_oid()
        try GitError.check(git_repository_hashfile(&oid, pointer, workdir + "/" + path, GIT_OBJECT_BLOB, path), "hash \(path)")
        return ObjectID(oid)
    }

    /// The blob the index holds for `path` (stage 0), read fresh from disk; nil when the index has no entry.
    public func indexEntryID(_ path: String) throws -> ObjectID? {
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, pointer), "open the index")
        defer { git_index_free(index) }
        try GitError.check(git_index_read(index, 0), "read the index")
        guard let entry = git_index_get_bypath(index, path, 0) else { return nil }
        return ObjectID(entry.pointee.id)
    }

    /// The lock file git and libgit2 create while they rewrite the index.
    public var indexLockPath: String { gitDir + "/index.lock" }
}
