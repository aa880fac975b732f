internal import CLibgit2

/// Starts libgit2 exactly once, on first use, and keeps it running for the life of the process.
enum Libgit2Runtime {
    /// The result of the single `git_libgit2_init` call; a global `let` is initialized lazily and atomically.
    /// Also turns on fsync of objects, packs and references, so a power loss cannot lose a commit the branch points to.
    private static let initialization: Int32 = {
        let result = git_libgit2_init()
        _ = sigit_enable_fsync_gitdir(1)
        return result
    }()

    /// Makes sure libgit2 has been initialized before any other libgit2 call.
    static func ensure() {
        _ = initialization
    }
}
