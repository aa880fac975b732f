internal import CLibgit2

/// Starts libgit2 exactly once, on first use, and keeps it running for the life of the process.
enum Libgit2Runtime {
    /// The result of the single `git_libgit2_init` call; a global `let` is initialized lazily and atomically.
    /// Also turns on fsync of objects, packs and references, so a power loss cannot lose a commit the branch points to.
    ///
    /// And keeps commits out of libgit2's object cache: sigit reads each commit of a walk once and copies out what it
    /// needs, so a cached commit would only hold memory. The whole object cache is capped at 1 MB and mapped pack
    /// windows at 8 MB: a walk reads most trees and blobs once. docs/PERFORMANCE.md has the measurements.
    private static let initialization: Int32 = {
        let result = git_libgit2_init()
        _ = sigit_enable_fsync_gitdir(1)
        _ = sigit_set_cache_object_limit(GIT_OBJECT_COMMIT, 0)
        _ = sigit_set_cache_max_size(1 << 20)
        _ = sigit_set_mwindow(1 << 20, 8 << 20)
        return result
    }()

    /// Makes sure libgit2 has been initialized before any other libgit2 call.
    static func ensure() {
        _ = initialization
    }
}
