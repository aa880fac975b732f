import Foundation
@testable import Delivery

/// A helper server (smtp_sink.py, webhook_sink.py) started for one test on 127.0.0.1, port chosen by the kernel.
///
/// Its stdin is a socket only this object holds open (created close-on-exec, so no other child inherits it):
/// the helper exits when it closes, so even a crashed test run leaves no server behind.
final class LoopbackServer {
    let port: Int
    private let child: ChildProcess
    private var stdinWriter: Int32

    /// Starts `script` with `arguments` under `python` and waits (at most 20 s) for the port it prints.
    init(python: String?, script: String, arguments: [String], scratch: ScratchDirectory) throws {
        guard let python else {
            throw HarnessError(description: "no python3 with the modules \(script) needs; run make deps (python3, python3-aiosmtpd)")
        }
        let outPath = scratch.path + "/\(script).stdout", errPath = scratch.path + "/\(script).stderr"
        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(out); close(err) }
        var fds: [Int32] = [0, 0]
        guard out >= 0, err >= 0, socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { throw HarnessError(description: "cannot set up \(script)") }
        defer { close(fds[0]) }
        stdinWriter = fds[1]
        child = try ChildProcess(path: python, arguments: [Python.scripts + "/" + script] + arguments,
                                 stdin: .descriptor(fds[0]), stdout: .descriptor(out), stderr: .descriptor(err))
        let deadline = Date().addingTimeInterval(20)
        var port: Int?
        while port == nil && Date() < deadline && child.wait(timeout: 0) == nil {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n") { port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { usleep(20_000) }
        }
        guard let port else {
            close(stdinWriter)
            child.kill()
            _ = child.wait(timeout: nil)
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw HarnessError(description: "\(script) did not start: \(stderr)")
        }
        self.port = port
    }

    /// Closes the helper's stdin (it exits), and kills it if it has not after 5 s.
    func stop() {
        if stdinWriter >= 0 {
            close(stdinWriter)
            stdinWriter = -1
        }
        if child.wait(timeout: 5) == nil {
            child.kill()
            _ = child.wait(timeout: nil)
        }
    }

    deinit { stop() }
}
