import Foundation
@testable import Delivery

/// The Python helpers under Support/Scripts and the interpreter that runs them.
enum Python {
    /// The folder of the helper scripts, found from this file's location in the source tree.
    static let scripts: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts").path
    }()

    /// A python3 that can import `module` (Debian's python3-aiosmtpd lives in /usr/bin/python3's path,
    /// which a pyenv or venv python3 earlier on PATH may not see), or nil.
    static func interpreter(importing module: String = "json") -> String? {
        var candidates = ["/usr/bin/python3"]
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(directory)/python3")
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if let result = try? run(candidate, ["-c", "import \(module)"]), result.status == 0 { return candidate }
        }
        return nil
    }

    static let withAiosmtpd = interpreter(importing: "aiosmtpd")
    static let plain = interpreter()

    /// Runs `program` to completion (at most 60 s) with the test's environment.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery")
        defer { scratch.remove() }
        let result = try ToolRunner(home: scratch.path, exactEnvironment: ProcessInfo.processInfo.environment)
            .run(program, arguments, timeout: 60)
        return (result.timedOut ? -1 : result.status, result.text, result.stderr + (result.timedOut ? " (did not finish)" : ""))
    }

    /// What Python's email package reads from the message in `file` (see parse_mail.py).
    static func parseMail(_ file: String) throws -> [String: Any] {
        guard let python = plain else { throw HarnessError(description: "python3 not found; run make deps") }
        let result = try run(python, [scripts + "/parse_mail.py", file])
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw HarnessError(description: "parse_mail.py failed: \(result.stderr)")
        }
        return object
    }
}
