internal import CLibgit2

extension GitError {
    /// Builds an error from `git_error_last()`; call right after the failing libgit2 call.
    static func last(_ result: Int32, _ operation: String) -> GitError {
        var message: String
        if let error = git_error_last(), let text = error.pointee.message {
            message = CString.decode(text)
        } else {
            message = "libgit2 failed with error code \(result)"
        }
        if result == GIT_ELOCKED.rawValue {
            // libgit2 names the lock file but not what to do: a lock left by a killed process blocks every later write.
            message += "; another git process holds this lock, or one was killed while holding it: if no git process is running in this repository, remove the .lock file and try again"
        }
        git_error_clear()
        return GitError(code: Code(libgit2: result), operation: operation, message: message)
    }

    /// Throws the last libgit2 error when `result` is negative.
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
        if result < 0 {
            throw last(result, operation())
        }
    }

    /// True when a libgit2 return value is GIT_ENOTFOUND.
    static func isNotFound(_ result: Int32) -> Bool {
        result == GIT_ENOTFOUND.rawValue
    }
}
