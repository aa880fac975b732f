import Foundation
internal import CLibgit2

extension Repository {
    /// The changes from root tree `old` to root tree `new` (nil: the empty tree) below `prefix`,
    /// one entry per path in git's order, renames detected, each with its unified diff.
    ///
    /// `prefix` is a literal path, not a glob: a folder with a trailing slash ("agreements/nda-1/")
    /// matches everything below it and nothing else ("agreements/nda-10/" is excluded); "" matches all.
    public func diff(from old: ObjectID?, to new: ObjectID?, under prefix: String) throws -> [FileDiff] {
        let operation = "compare tree \(old?.hex.prefix(12) ?? "(empty)") with \(new?.hex.prefix(12) ?? "(empty)")"
        return try withOptionalTree(old) { oldTree in
            try withOptionalTree(new) { newTree in
                var options = git_diff_options()
                try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), operation)
                options.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue | GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
                var diff: OpaquePointer?
                let result = CString.withStrarray(prefix.isEmpty ? [] : [prefix]) { pathspec in
                    options.pathspec = pathspec.pointee
                    return git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options)
                }
                try GitError.check(result, operation)
                defer { git_diff_free(diff) }
                // Explicit flags rather than libgit2's default, which follows the user's diff.renames.
                var similar = git_diff_find_options()
                try GitError.check(git_diff_find_options_init(&similar, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), operation)
                similar.flags = GIT_DIFF_FIND_RENAMES.rawValue
                try GitError.check(git_diff_find_similar(diff, &similar), "detect renames to \(operation)")
                var out: [FileDiff] = []
                for index in 0..<git_diff_num_deltas(diff) {
                    out.append(try fileDiff(diff, index, operation))
                }
                return out
            }
        }
    }

    /// Builds the FileDiff of delta `index` of `diff`, generating its patch.
    private func fileDiff(_ diff: OpaquePointer?, _ index: Int, _ operation: String) throws -> FileDiff {
        var patch: OpaquePointer?
        try GitError.check(git_patch_from_diff(&patch, diff, index), "build the patch to \(operation)")
        defer { git_patch_free(patch) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try GitError.check(git_patch_to_buf(&buffer, patch), "print the patch to \(operation)")
        guard let delta = git_patch_get_delta(patch)?.pointee else {
            throw GitError(code: .other(-1), operation: operation, message: "libgit2 returned a patch without a change")
        }
        let status: FileDiff.Status
        switch delta.status {
        case GIT_DELTA_ADDED, GIT_DELTA_COPIED: status = .added
        case GIT_DELTA_DELETED: status = .deleted
        case GIT_DELTA_RENAMED: status = .renamed
        case GIT_DELTA_TYPECHANGE: status = .typeChanged
        default: status = .modified
        }
        let hasOld = status != .added
        let hasNew = status != .deleted
        let oldBlob = hasOld ? ObjectID(delta.old_file.id) : nil
        let newBlob = hasNew ? ObjectID(delta.new_file.id) : nil
        let oldMode = hasOld ? UInt32(delta.old_file.mode) : nil
        let newMode = hasNew ? UInt32(delta.new_file.mode) : nil
        var isBinary = delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0
        if !isBinary {
            isBinary = try containsNUL(oldBlob, mode: oldMode) || containsNUL(newBlob, mode: newMode)
        }
        return FileDiff(
            status: status,
            oldPath: hasOld ? CString.decode(delta.old_file.path) : nil,
            newPath: hasNew ? CString.decode(delta.new_file.path) : nil,
            oldBlob: oldBlob, newBlob: newBlob, oldMode: oldMode, newMode: newMode,
            isBinary: isBinary,
            patch: isBinary ? "" : CString.decode(buffer))
    }

    /// True when `id` is a blob (file or link; submodule commits are not read) holding a NUL byte.
    private func containsNUL(_ id: ObjectID?, mode: UInt32?) throws -> Bool {
        guard let id, let mode, !id.isZero, [0o100644, 0o100755, 0o120000].contains(mode) else { return false }
        var oid = id.oid
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, pointer, &oid), "read blob \(id)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return false }
        return memchr(bytes, 0, size) != nil
    }

    /// Calls `body` with tree `id` looked up, or with nil (libgit2's empty tree) when `id` is nil.
    private func withOptionalTree<R>(_ id: ObjectID?, _ body: (OpaquePointer?) throws -> R) throws -> R {
        guard let id else { return try body(nil) }
        return try withTree(id) { try body($0) }
    }
}
