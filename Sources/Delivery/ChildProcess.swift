import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program started with `posix_spawn` and reaped by `wait`.
///
/// Unlike Foundation's `Process`, the child starts with an empty signal mask and default signal
/// dispositions: a child spawned from a Dispatch or Swift-concurrency thread would otherwise
/// inherit that thread's blocked signals and could not be terminated.
final class ChildProcess {
    /// Where one of the child's standard streams goes.
    enum Stream {
        case null
        case descriptor(Int32)
    }

    /// How the child ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    let pid: pid_t
    private var termination: Termination?

    /// Starts `path` with `arguments` (argv[0] is `path`), the caller's environment, and the given streams.
    init(path: String, arguments: [String], stdin: Stream, stdout: Stream, stderr: Stream) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        pid = child
    }

    deinit {
        if termination == nil {
            _ = sendSignal(pid, SIGKILL)
            _ = wait(timeout: nil)
        }
    }

    /// Sends `signal`; harmless after the child exited, as its pid stays reserved until `wait` reaps it.
    func kill(_ signal: Int32 = SIGKILL) {
        if termination == nil { _ = sendSignal(pid, signal) }
    }

    /// Waits for the child to end, at most `timeout` seconds (nil: no limit); nil when it is still running.
    func wait(timeout: TimeInterval?) -> Termination? {
        if let termination { return termination }
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var raw: Int32 = 0
        while true {
            let result = waitpid(pid, &raw, deadline == nil ? 0 : WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { termination = .signaled(0); return termination }
            if let deadline {
                if Date() >= deadline { return nil }
                usleep(5_000)
            }
        }
        let signal = raw & 0x7F
        termination = signal == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(signal)
        return termination
    }
}

/// `kill(2)`, under a name the class's own `kill` does not shadow.
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}
