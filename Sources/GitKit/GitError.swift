/// A failed libgit2 call: what was attempted, libgit2's own explanation, and its error class.
public struct GitError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, from libgit2's error codes, so callers can react to the expected ones.
    public enum Code: Sendable, Hashable {
        /// The object, reference, path or configuration entry does not exist (GIT_ENOTFOUND).
        case notFound
        /// Something already exists and prevents the operation (GIT_EEXISTS).
        case exists
        /// A short name or spec matches more than one object (GIT_EAMBIGUOUS).
        case ambiguous
        /// The operation needs a working directory but the repository is bare (GIT_EBAREREPO).
        case bareRepository
        /// HEAD names a branch that has no commit yet (GIT_EUNBORNBRANCH).
        case unbornBranch
        /// A name or revision spec is not valid (GIT_EINVALIDSPEC).
        case invalidSpec
        /// A lock file is held by another process (GIT_ELOCKED).
        case locked
        /// A reference did not have the expected value (GIT_EMODIFIED).
        case modified
        /// An object could not be peeled to the requested type (GIT_EPEEL).
        case peel
        /// Any other libgit2 error code.
        case other(Int32)

        /// Maps a negative libgit2 return value to a code.
        init(libgit2 value: Int32) {
            switch value {
            case -3: self = .notFound
            case -4: self = .exists
            case -5: self = .ambiguous
            case -8: self = .bareRepository
            case -9: self = .unbornBranch
            case -12: self = .invalidSpec
            case -14: self = .locked
            case -15: self = .modified
            case -19: self = .peel
            default: self = .other(value)
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// What GitKit was doing, e.g. "open repository at /tmp/x".
    public let operation: String
    /// libgit2's explanation of the failure.
    public let message: String

    /// Creates an error; GitKit builds these from `git_error_last()`, other layers may build them for tests.
    public init(code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// One line a user can act on: "<operation>: <message>".
    public var description: String { "\(operation): \(message)" }
}
