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

    /// Runs `program` to completion (at most 60 s); stdout and stderr are captured through files (no pipe can fill up).
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let outPath = scratch.path + "/out", errPath = scratch.path + "/err"
        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(out); close(err) }
        let child = try ChildProcess(path: program, arguments: arguments, stdin: .null, stdout: .descriptor(out), stderr: .descriptor(err))
        let termination = child.wait(timeout: 60)
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        guard case .exited(let status) = termination else { return (-1, stdout, stderr + " (did not finish)") }
        return (status, stdout, stderr)
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
