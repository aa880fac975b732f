import Foundation
import Testing

/// The result of running a tool.
struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A temporary world for one test: its own HOME and git config, ssh-keygen keys, repositories, and the real sigit binary.
///
/// Every tool runs with HOME, GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM pointing inside the sandbox, so tests never
/// read or touch the user's configuration. The folder is deleted when the sandbox is released.
final class Sandbox {
    /// The sandbox's scratch folder.
    let scratch: ScratchDirectory
    /// The sandbox folder.
    var root: URL { scratch.url }
    /// The environment every tool runs with.
    var environment: [String: String]
    /// The time every tool's clock starts at (libfaketime, `FakeClock`); nil for the real time.
    var clock: Date?

    init() throws {
        scratch = try ScratchDirectory(prefix: "sigit-test")
        let root = scratch.url
        try FileManager.default.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = root.appendingPathComponent("home").path
        env["GIT_CONFIG_GLOBAL"] = root.appendingPathComponent("home/.gitconfig").path
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["SIGIT_SIGNING_KEY"] = nil
        env["SSH_AUTH_SOCK"] = nil
        environment = env
        try "[init]\n\tdefaultBranch = main\n[pull]\n\trebase = false\n".write(to: root.appendingPathComponent("home/.gitconfig"), atomically: true, encoding: .utf8)
    }

    /// The sigit binary under test: SIGIT_BIN, else .build/debug/sigit of this package.
    static var sigitBinary: String {
        if let path = ProcessInfo.processInfo.environment["SIGIT_BIN"], !path.isEmpty { return path }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent(".build/debug/sigit").path
    }

    /// Path of a file inside the sandbox.
    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Makes an ed25519 key pair `keys/<name>` with ssh-keygen; returns the private key path.
    @discardableResult
    func key(_ name: String, type: String = "ed25519") throws -> String {
        let file = path("keys/\(name)")
        var args = ["-q", "-t", type, "-N", "", "-C", name, "-f", file]
        if type == "rsa" { args += ["-b", "2048"] }
        try run("/usr/bin/env", ["ssh-keygen"] + args, in: root.path).check()
        return file
    }

    /// Runs a program (an absolute path, or a name on PATH) and captures its output.
    @discardableResult
    func run(_ program: String, _ arguments: [String], in directory: String, extra: [String: String] = [:]) throws -> RunResult {
        var environment = self.environment
        if let clock { environment.merge(try FakeClock.environment(at: clock)) { $1 } }
        let result = try ToolRunner(home: root.path, exactEnvironment: environment).run(program, arguments, in: directory, environment: extra)
        return RunResult(status: result.status, stdout: result.text, stderr: result.stderr)
    }

    /// Runs stock git in `repo`.
    @discardableResult
    func git(_ repo: String, _ arguments: String..., extra: [String: String] = [:]) throws -> RunResult {
        try run("/usr/bin/env", ["git"] + arguments, in: path(repo), extra: extra)
    }

    /// Runs sigit in `repo` signing with `keys/<as>` (nil: no key configured).
    @discardableResult
    func sigit(_ repo: String, as signer: String?, _ arguments: [String]) throws -> RunResult {
        var extra: [String: String] = [:]
        if let signer { extra["SIGIT_SIGNING_KEY"] = path("keys/\(signer)") }
        if clock != nil { return try run(FakeClock.execPrefix[0], Array(FakeClock.execPrefix.dropFirst()) + [Self.sigitBinary] + arguments, in: path(repo), extra: extra) }
        return try run(Self.sigitBinary, arguments, in: path(repo), extra: extra)
    }
}

extension RunResult {
    /// Throws with the output when the tool failed.
    @discardableResult
    func check(_ sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        if status != 0 {
            Issue.record("command failed (\(status)): \(stderr) \(stdout)", sourceLocation: sourceLocation)
            throw SandboxError(message: stderr)
        }
        return self
    }

    /// stdout parsed as a JSON object.
    func json() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        guard let object = value as? [String: Any] else { throw SandboxError(message: "not a JSON object: \(stdout)") }
        return object
    }
}

/// A failed tool run in a test.
struct SandboxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
