import Foundation
import Testing

/// Runs stock tools (git, ssh-keygen) with HOME in a scratch directory and no global or
/// system git configuration, so tests never read or touch the user's settings.
struct ToolRunner {
    /// The directory used as HOME and for the temporary files that carry input and output.
    let home: String

    /// The fixed identity and dates stock git commits with, so results do not depend on the clock.
    static let gitIdentity: [String: String] = [
        "GIT_AUTHOR_NAME": "Stock Git", "GIT_AUTHOR_EMAIL": "stock@example.com",
        "GIT_AUTHOR_DATE": "1700000000 +0000",
        "GIT_COMMITTER_NAME": "Stock Git", "GIT_COMMITTER_EMAIL": "stock@example.com",
        "GIT_COMMITTER_DATE": "1700000000 +0000",
    ]

    /// The environment every tool runs with; `extra` overrides it.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = Self.gitIdentity
        environment["HOME"] = home
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["LC_ALL"] = "C"
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs `tool` in `directory` to completion, feeding `input` on standard input.
    ///
    /// Output goes through files rather than pipes, so a chatty tool cannot block on a full pipe.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], input: Data = Data(), in directory: String? = nil,
             environment extra: [String: String] = [:]) throws -> ToolResult {
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
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = environment(extra)
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? home)
        process.standardInput = handles[0]
        process.standardOutput = handles[1]
        process.standardError = handles[2]
        try process.run()
        process.waitUntilExit()
        return ToolResult(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: URL(fileURLWithPath: paths[1])),
            stderr: (try? String(contentsOfFile: paths[2], encoding: .utf8)) ?? "")
    }

    /// Runs `tool` and records an issue unless it exits 0.
    @discardableResult
    func succeed(_ tool: String, _ arguments: [String], input: Data = Data(), in directory: String? = nil,
                 environment extra: [String: String] = [:]) throws -> ToolResult {
        let result = try run(tool, arguments, input: input, in: directory, environment: extra)
        #expect(result.status == 0, "\(tool) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result
    }
}
