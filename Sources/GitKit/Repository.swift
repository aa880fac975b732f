internal import CLibgit2

/// An open git repository; owns the libgit2 handle and frees it when released.
///
/// Not `Sendable`: libgit2 objects must not be shared across threads. Copy data out into the
/// value types (`ObjectID`, `CommitInfo`, ...) and share those instead.
///
/// Objects are read as stored: libgit2 implements no replace references (`refs/replace/`; libgit2 issue
/// 1730, still open), so there is nothing to switch off when opening; stock git does the same only with
/// `GIT_NO_REPLACE_OBJECTS=1`. `RevisionResolutionTests` fails if a libgit2 upgrade changes that.
public final class Repository {
    /// The libgit2 repository handle, owned by this object.
    let pointer: OpaquePointer

    /// Takes ownership of a libgit2 repository handle.
    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository containing `path`, searching upward from it like git does.
    public static func open(_ path: String) throws -> Repository {
        Libgit2Runtime.ensure()
        var repository: OpaquePointer?
        try GitError.check(git_repository_open_ext(&repository, path, 0, nil), "open a git repository at \(path)")
        return try wrap(repository, "open a git repository at \(path)")
    }

    /// Creates a repository at `path` (and missing parent folders) with HEAD on `initialBranch`.
    public static func initialize(_ path: String, bare: Bool = false, initialBranch: String = "main") throws -> Repository {
        Libgit2Runtime.ensure()
        var options = git_repository_init_options()
        try GitError.check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "prepare to create a git repository at \(path)")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        if bare {
            options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue
        }
        var repository: OpaquePointer?
        let result = initialBranch.withCString { branch in
            options.initial_head = branch
            return git_repository_init_ext(&repository, path, &options)
        }
        try GitError.check(result, "create a git repository at \(path)")
        return try wrap(repository, "create a git repository at \(path)")
    }

    /// The working directory without a trailing slash; nil for a bare repository.
    public var workdir: String? {
        guard let path = git_repository_workdir(pointer) else { return nil }
        return Self.trimmingTrailingSlash(CString.decode(path))
    }

    /// The git directory (".git", or the repository itself when bare) without a trailing slash.
    public var gitDir: String {
        Self.trimmingTrailingSlash(CString.decode(git_repository_path(pointer)))
    }

    /// True when the repository has no working directory.
    public var isBare: Bool {
        git_repository_is_bare(pointer) == 1
    }

    /// Turns a handle returned by libgit2 into a Repository, or fails if libgit2 returned none.
    static func wrap(_ repository: OpaquePointer?, _ operation: String) throws -> Repository {
        guard let repository else {
            throw GitError(code: .other(-1), operation: operation, message: "libgit2 returned no repository")
        }
        return Repository(pointer: repository)
    }

    /// Drops one trailing "/" unless the path is the root.
    static func trimmingTrailingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
