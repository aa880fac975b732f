internal import CLibgit2

/// Starts libgit2 exactly once, on first use, and keeps it running for the life of the process.
enum Libgit2Runtime {
    /// The result of the single `git_libgit2_init` call; a global `let` is initialized lazily and atomically.
    private static let initialization: Int32 = git_libgit2_init()

    /// Makes sure libgit2 has been initialized before any other libgit2 call.
    static func ensure() {
        _ = initialization
    }
}
