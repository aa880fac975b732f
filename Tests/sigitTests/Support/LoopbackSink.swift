import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real server on 127.0.0.1 for the notify tests: the Delivery tests' smtp_sink.py (aiosmtpd) or webhook_sink.py,
/// which write each message they receive into `directory` and exit when their stdin (a socket held here) closes.
final class LoopbackSink {
    let port: Int
    let directory: String
    private let pid: pid_t
    private var writer: Int32

    /// Starts `script` (in Tests/DeliveryTests/Support/Scripts) with `arguments`, writing into `directory`.
    init(_ script: String, _ arguments: [String] = [], directory: String) throws {
        let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DeliveryTests/Support/Scripts").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        let out = directory + "/.port"
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { throw SandboxError(message: "socketpair failed") }
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, directory + "/.stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let python = "/usr/bin/python3"
        let argv: [UnsafeMutablePointer<CChar>?] = ([python, scripts + "/" + script, "--dir", directory] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, python, &actions, nil, argv, environ)
        close(fds[0])
        guard result == 0 else { close(fds[1]); throw SandboxError(message: "cannot start \(script)") }
        pid = child
        writer = fds[1]
        let deadline = Date().addingTimeInterval(20)
        var port: Int?
        while port == nil, Date() < deadline {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n") { port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) } else { usleep(20_000) }
        }
        guard let port else {
            let stderr = (try? String(contentsOfFile: directory + "/.stderr", encoding: .utf8)) ?? ""
            close(writer)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw SandboxError(message: "\(script) did not start (needs python3-aiosmtpd: make deps): \(stderr)")
        }
        self.port = port
    }

    /// The received messages' JSON records (`N.json`), in arrival order.
    func records() throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
            .sorted { (Int($0.dropLast(5)) ?? 0) < (Int($1.dropLast(5)) ?? 0) }
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }
    }

    /// The raw messages (`N.eml`, SMTP only), in arrival order.
    func messages() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }
            .sorted { (Int($0.dropLast(4)) ?? 0) < (Int($1.dropLast(4)) ?? 0) }
        return try names.map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
    }

    /// Closes the server's stdin (it exits) and reaps it.
    func stop() {
        guard writer >= 0 else { return }
        close(writer)
        writer = -1
        var status: Int32 = 0
        for _ in 0..<50 where waitpid(pid, &status, WNOHANG) != pid { usleep(10_000) }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    deinit { stop() }
}
