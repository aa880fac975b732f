internal import CLibgit2

extension Repository {
    /// Opens the repository the way git's own commands find it: GIT_DIR, GIT_OBJECT_DIRECTORY and
    /// GIT_ALTERNATE_OBJECT_DIRECTORIES are honoured, else the search starts at the current folder.
    ///
    /// A pre-receive hook must open its repository this way: git keeps the pushed objects in a
    /// quarantine folder named only by those variables until the hook accepts them.
    public static func openFromEnvironment() throws -> Repository {
        Libgit2Runtime.ensure()
        var repository: OpaquePointer?
        try GitError.check(
            git_repository_open_ext(&repository, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil),
            "open the git repository named by GIT_DIR")
        return try wrap(repository, "open the git repository named by GIT_DIR")
    }
}
