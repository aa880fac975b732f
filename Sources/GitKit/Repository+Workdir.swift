import Foundation
internal import CLibgit2

extension Repository {
    /// Paths under `prefixes` whose index or working-tree content differs from HEAD, untracked files included.
    public func changedPaths(under prefixes: [String]) throws -> [String] {
        guard !isBare else { return [] }
        var options = git_status_options()
        try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
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
            try GitError.check(git_checkout_head(pointer, &options), "update the working tree at \(paths.joined(separator: ", "))")
        }
    }
}

extension Repository {
    /// Stages `paths` as they are in the working tree (removed from the index when the file is gone), like `git add -A`.
    public func stageFromWorkdir(paths: [String]) throws {
        guard let workdir, !paths.isEmpty else { return }
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, pointer), "open the index")
        defer { git_index_free(index) }
        for path in paths {
            if FileManager.default.fileExists(atPath: workdir + "/" + path) {
                try GitError.check(git_index_add_bypath(index, path), "stage \(path)")
            } else {
                let result = git_index_remove_bypath(index, path)
                try GitError.check(result, "unstage \(path)")
            }
        }
        try GitError.check(git_index_write(index), "write the index")
    }
}
