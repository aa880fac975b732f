import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private `ssh-agent -D` listening on a socket in a scratch directory, for one test.
///
/// Stopped with SIGKILL: a child started from a test thread inherits that thread's blocked
/// signals (libdispatch blocks SIGTERM), so `Process.terminate()` would never end the agent.
final class AgentProcess {
    /// The running `ssh-agent`.
    let process: Process
    /// The agent's socket, for `SSH_AUTH_SOCK`.
    let socket: String

    /// Starts `ssh-agent -D -a SOCK` in `tool`'s scratch directory and waits until it accepts connections.
    ///
    /// The socket file appears before the agent listens on it, so readiness is checked with
    /// `ssh-add -l`, which exits 1 ("no identities") once the agent answers and 2 before.
    init(_ tool: OpenSSHTool) throws {
        socket = tool.scratch.path("agent.sock")
        process = try tool.launch("ssh-agent", ["-D", "-a", socket])
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: socket),
               try tool.run("ssh-add", ["-l"], environment: ["SSH_AUTH_SOCK": socket]).status != 2 {
                return
            }
            usleep(25_000)
        }
        stop()
        throw StartError()
    }

    /// Kills the agent and reaps it.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        stop()
    }

    /// ssh-agent did not start listening in time.
    struct StartError: Error, CustomStringConvertible {
        /// What went wrong.
        var description: String { "ssh-agent did not start listening on its socket" }
    }
}
