import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real OpenSSH server on 127.0.0.1 for the ssh remote tests: `/usr/sbin/sshd -D -e` with its own config, host key,
/// authorized keys and pid file in the sandbox, on a free port, logging in as the user running the tests (root in
/// CI). Stopped with SIGTERM when released. It holds the sandbox, so the sandbox folder outlives the server.
///
/// libgit2 (1.5.1 and later: CVE-2023-22742) checks the host key against `~/.ssh/known_hosts` and refuses an
/// unknown host; the server adds its `[127.0.0.1]:PORT ssh-ed25519 ...` line to the sandbox HOME's known_hosts.
final class LoopbackSSHServer {
    static let sshd = "/usr/sbin/sshd"

    let sandbox: Sandbox
    /// The port sshd listens on.
    let port: Int
    /// The user to log in as: the current user.
    let user: String
    /// The file holding the public keys the server accepts (one a line).
    let authorizedKeys: String
    /// The host key line written to known_hosts.
    let knownHostsLine: String
    private let daemon: Daemon
    private let directory: String

    /// Starts sshd accepting the public keys in `authorizing` (paths of .pub files).
    init(sandbox: Sandbox, authorizing: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sshd) else {
            throw SandboxError(message: "\(Self.sshd) is missing: the ssh remote tests need the OpenSSH server (apt-get install openssh-server)")
        }
        self.sandbox = sandbox
        directory = sandbox.path("sshd")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        user = Self.currentUser()
        authorizedKeys = directory + "/authorized_keys"
        let keys = try authorizing.map { try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) + "\n" }
        try keys.joined().write(toFile: authorizedKeys, atomically: true, encoding: .utf8)
        let hostKey = directory + "/host_ed25519"
        try sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sigit-test-host", "-f", hostKey], in: directory).check()
        let hostPublic = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")

        var started: (Daemon, Int)?
        var failures: [String] = []
        for attempt in 1...5 {
            let port = try Self.freePort()
            let config = directory + "/sshd_config"
            try Self.config(port: port, hostKey: hostKey, authorizedKeys: authorizedKeys, user: user, pidFile: directory + "/sshd.pid")
                .write(toFile: config, atomically: true, encoding: .utf8)
            if attempt == 1 { try Self.preparePrivilegeSeparation(config: config, sandbox: sandbox) }
            let daemon = try Daemon(Self.sshd, ["-D", "-e", "-f", config], environment: sandbox.environment, log: directory + "/sshd-\(attempt).log")
            // Its own "listening" line first: a connection alone could reach another process that took the port.
            if try daemon.waitUntil(timeout: 20, { daemon.log.contains("Server listening on 127.0.0.1 port \(port).") && Self.accepts(port: port) }) {
                started = (daemon, port)
                break
            }
            daemon.stop()
            failures.append(daemon.log)
            // Another process took the port between the probe and sshd's bind: try another one.
            guard daemon.log.contains("Address already in use") || daemon.log.contains("Cannot bind") else { break }
        }
        guard let (daemon, port) = started else {
            throw SandboxError(message: "sshd did not start: \(failures.last ?? "")")
        }
        self.daemon = daemon
        self.port = port
        knownHostsLine = "[127.0.0.1]:\(port) \(hostPublic)"
        try trustHostKey()
    }

    deinit { daemon.stop() }

    /// `ssh://USER@127.0.0.1:PORT/<absolute path>`.
    func url(_ absolutePath: String) -> String {
        "ssh://\(user)@127.0.0.1:\(port)\(absolutePath)"
    }

    /// sshd's log so far (LogLevel VERBOSE): accepted and refused keys, sessions.
    var log: String { daemon.log }

    /// Adds the host key line to the sandbox HOME's ~/.ssh/known_hosts.
    func trustHostKey() throws {
        let home = sandbox.environment["HOME"] ?? sandbox.path("home")
        let sshDirectory = home + "/.ssh"
        try FileManager.default.createDirectory(atPath: sshDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = sshDirectory + "/known_hosts"
        let existing = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        try (existing + knownHostsLine + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }

    static func config(port: Int, hostKey: String, authorizedKeys: String, user: String, pidFile: String) -> String {
        """
        ListenAddress 127.0.0.1:\(port)
        HostKey \(hostKey)
        PidFile \(pidFile)
        AuthorizedKeysFile \(authorizedKeys)
        AllowUsers \(user)
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        StrictModes no
        UsePAM no
        PrintMotd no
        LogLevel VERBOSE

        """
    }

    /// sshd started as root needs its privilege separation directory (Debian: /run/sshd, made by the systemd unit,
    /// which does not run here); `sshd -t` names it when missing, and it is made like the unit does (root, 0755).
    static func preparePrivilegeSeparation(config: String, sandbox: Sandbox) throws {
        let test = try sandbox.run(sshd, ["-t", "-f", config], in: sandbox.root.path)
        guard test.status != 0 else { return }
        let marker = "Missing privilege separation directory: "
        // sshd ends its error lines with "\r\n", which Swift reads as one Character: split on every kind of newline.
        guard let line = test.stderr.split(whereSeparator: \.isNewline).first(where: { $0.contains(marker) }),
              let range = line.range(of: marker) else {
            throw SandboxError(message: "sshd -t refused the test configuration: \(test.stderr)")
        }
        let missing = line[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try FileManager.default.createDirectory(atPath: missing, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            throw SandboxError(message: "sshd needs \(missing): \(error)")
        }
        try sandbox.run(sshd, ["-t", "-f", config], in: sandbox.root.path).check()
    }

    /// A port nobody listens on now: bound to port 0 on 127.0.0.1 and released.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SandboxError(message: "socket failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SandboxError(message: "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw SandboxError(message: "getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts a TCP connection on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// The name of the user running the tests.
    static func currentUser() -> String {
        if getuid() == 0 { return "root" }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }
}

/// A real ssh-agent for one test: `ssh-agent -D -a <socket>` in the sandbox, stopped with SIGTERM when released.
final class LoopbackSSHAgent {
    let sandbox: Sandbox
    /// The agent's socket: pass it as SSH_AUTH_SOCK.
    let socket: String
    private let daemon: Daemon

    init(sandbox: Sandbox) throws {
        self.sandbox = sandbox
        socket = sandbox.path("agent.sock")
        daemon = try Daemon("/usr/bin/env", ["ssh-agent", "-D", "-a", socket], environment: sandbox.environment, log: sandbox.path("agent.log"))
        guard try daemon.waitUntil(timeout: 20, { FileManager.default.fileExists(atPath: self.socket) }) else {
            daemon.stop()
            throw SandboxError(message: "ssh-agent did not start: \(daemon.log)")
        }
    }

    deinit { daemon.stop() }

    /// `ssh-add` the private key `key`.
    func add(_ key: String) throws {
        try sandbox.run("/usr/bin/env", ["ssh-add", "-q", key], in: sandbox.root.path, extra: ["SSH_AUTH_SOCK": socket]).check()
    }

    /// The public keys the agent holds (`ssh-add -L`).
    func keys() throws -> [String] {
        let result = try sandbox.run("/usr/bin/env", ["ssh-add", "-L"], in: sandbox.root.path, extra: ["SSH_AUTH_SOCK": socket])
        return result.status == 0 ? result.stdout.split(separator: "\n").map(String.init) : []
    }
}

/// A long-running tool started with posix_spawn, its stdout and stderr in `log`; stopped with SIGTERM (then
/// SIGKILL after 5 s) and reaped, so no process outlives the test.
private final class Daemon {
    let pid: pid_t
    let logFile: String
    private var exited = false

    init(_ program: String, _ arguments: [String], environment: [String: String], log: String) throws {
        logFile = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The test runner's threads may block or ignore signals, and a child inherits that: ssh-agent with SIGTERM
        // blocked never sees it. Start with no signal blocked and the usual ones at their default action.
        #if canImport(Glibc)
        var attributes = posix_spawnattr_t()
        #else
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SandboxError(message: "posix_spawn \(program) failed: \(String(cString: strerror(result)))") }
        pid = child
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// True once the process has ended (reaps it).
    func hasExited() -> Bool {
        if exited { return true }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { exited = true }
        return exited
    }

    /// Polls `ready` until it holds (true), the process ends or `timeout` passes (false).
    func waitUntil(timeout: TimeInterval, _ ready: () -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if ready() { return true }
            if hasExited() { return false }
            usleep(20_000)
        }
        return false
    }

    func stop() {
        guard !hasExited() else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while !hasExited() && Date() < deadline { usleep(10_000) }
        if !hasExited() {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            exited = true
        }
    }
}
