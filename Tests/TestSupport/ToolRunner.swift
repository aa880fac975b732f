import Foundation

/// Runs tools to completion in a controlled environment: the one process runner of every test target.
///
/// Standard input, output and error go through files, not pipes, so a chatty tool cannot block on a full pipe; a
/// time limit kills a tool that hangs. The environment is exactly `environment` (plus per-call extras): nothing of
/// the user's HOME or git configuration leaks in unless a caller puts it there.
public struct ToolRunner: Sendable {
    /// The folder for the files that carry input and output, and the default working directory.
    public let home: String
    /// The environment every tool runs with.
    public var environment: [String: String]

    /// A runner whose tools see `home` as HOME, no global or system git configuration, the C locale and `PATH`.
    public init(home: String, environment extra: [String: String] = [:]) {
        self.home = home
        var environment = [
            "HOME": home, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        environment.merge(extra) { $1 }
        self.environment = environment
    }

    /// A runner with exactly `environment` (e.g. the test process's own, adjusted).
    public init(home: String, exactEnvironment environment: [String: String]) {
        self.home = home
        self.environment = environment
    }

    /// The fixed identity and dates stock git commits with, so results do not depend on the clock.
    public static let gitIdentity: [String: String] = [
        "GIT_AUTHOR_NAME": "Stock Git", "GIT_AUTHOR_EMAIL": "stock@example.com",
        "GIT_AUTHOR_DATE": "1700000000 +0000",
        "GIT_COMMITTER_NAME": "Stock Git", "GIT_COMMITTER_EMAIL": "stock@example.com",
        "GIT_COMMITTER_DATE": "1700000000 +0000",
    ]

    /// Runs `program` (an absolute path, or a name looked up on `PATH` through /usr/bin/env) with `arguments` in
    /// `directory` (default `home`), feeding `input`; after `timeout` seconds the tool is killed and the result says
    /// `timedOut`.
    @discardableResult
    public func run(_ program: String, _ arguments: [String], input: Data = Data(), in directory: String? = nil,
                    environment extra: [String: String] = [:], timeout: TimeInterval = 600) throws -> ToolResult {
        let id = UUID().uuidString.prefix(8)
        let paths = ["in", "out", "err"].map { "\(home)/.tool-\($0)-\(id)" }
        try input.write(to: URL(fileURLWithPath: paths[0]))
        for path in paths.dropFirst() { try Data().write(to: URL(fileURLWithPath: path)) }
        defer { paths.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let handles = try [
            FileHandle(forReadingFrom: URL(fileURLWithPath: paths[0])),
            FileHandle(forWritingTo: URL(fileURLWithPath: paths[1])),
            FileHandle(forWritingTo: URL(fileURLWithPath: paths[2])),
        ]
        defer { handles.forEach { try? $0.close() } }
        let process = Process()
        if program.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? home)
        process.standardInput = handles[0]
        process.standardOutput = handles[1]
        process.standardError = handles[2]
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ToolResult(status: status, stdout: (try? Data(contentsOf: URL(fileURLWithPath: paths[1]))) ?? Data(),
                          stderr: (try? String(contentsOfFile: paths[2], encoding: .utf8)) ?? "", timedOut: timedOut)
    }

    /// Starts `program` and does not wait for it (a server or an agent); its output is discarded.
    public func launch(_ program: String, _ arguments: [String], in directory: String? = nil,
                       environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? home)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

extension ToolRunner {
    /// Runs `program` like `run` and throws `ToolFailure` (with the command and its stderr) unless it exits 0.
    @discardableResult
    public func succeed(_ program: String, _ arguments: [String], input: Data = Data(), in directory: String? = nil,
                        environment extra: [String: String] = [:], timeout: TimeInterval = 600) throws -> ToolResult {
        let result = try run(program, arguments, input: input, in: directory, environment: extra, timeout: timeout)
        guard result.status == 0 else {
            throw ToolFailure(description: "\(program) \(arguments.joined(separator: " ")) failed (\(result.status)\(result.timedOut ? ", timed out" : "")): \(result.stderr)")
        }
        return result
    }
}

/// A tool a test relies on failed; the message has the command and what it printed.
public struct ToolFailure: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
