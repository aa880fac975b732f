import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tool started with `posix_spawn` and reaped only by `wait()`, so it can be killed at a chosen moment without
/// risking a signal to a recycled process id (until it is waited for, an exited child stays a zombie).
public final class SpawnedProcess {
    public let pid: pid_t
    /// Where stdout and stderr go.
    public let outputFile: String
    public let errorFile: String
    /// When it was started.
    public let started: Date
    private var status: Int32?

    /// Starts `program` with `arguments` and `environment`; stdin is /dev/null, stdout and stderr go to files beside `scratch`.
    public init(_ program: String, _ arguments: [String], environment: [String: String], scratch: String) throws {
        outputFile = scratch + ".out"
        errorFile = scratch + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, nil, argv, envp)
        guard result == 0 else { throw SpawnError(description: "posix_spawn \(program) failed: \(String(cString: strerror(result)))") }
        pid = child
        started = Date()
    }

    /// Sends `signal` (harmless when the child has already exited: it is a zombie until waited for).
    public func kill(_ signal: Int32 = SIGKILL) {
        _ = sendSignal(pid, signal)
    }

    /// Waits for the child; its exit code, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let code: Int32 = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status = code
        return code
    }

    /// Waits at most `seconds`; on time-out kills the child and returns nil.
    public func wait(timeout seconds: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                let code: Int32 = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                status = code
                return code
            }
            usleep(10_000)
        }
        kill()
        wait()
        return nil
    }

    /// The whole stdout.
    public var stdout: String { (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "" }
    /// The whole stderr.
    public var stderr: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }
}

/// `kill(2)`, under a name a method called `kill` does not shadow.
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}

/// `posix_spawn` failed.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
}
