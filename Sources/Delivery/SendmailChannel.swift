import Foundation

/// Delivers by piping the message to a local `sendmail` program as `PATH -oi -t`, like git send-email.
///
/// `-t` takes the recipients from the `To:` header; `-oi` keeps a line holding only "." from ending
/// the message early. The message uses LF line ends, the local convention for a submission program.
/// Standard input and standard error are temporary files, not pipes: nothing can deadlock or raise
/// SIGPIPE, and a background child that keeps stderr open cannot hang the caller. The program runs
/// through `ChildProcess` (posix_spawn with a clean signal mask) and is killed after 60 s.
struct SendmailChannel: Channel {
    static let defaultPath = "/usr/sbin/sendmail"
    static let timeoutSeconds = 60

    let path: String

    var description: String { "sendmail:\(path)" }

    /// `path` as given (absolute or relative to the working directory), looked up in `PATH` when it has
    /// no slash, or `/usr/sbin/sendmail` when empty; it must be an executable file.
    init(path rawPath: String, settings: ChannelSettings) throws(DeliveryError) {
        var path = rawPath.trimmingSpaces
        if path.isEmpty { path = Self.defaultPath }
        if !path.contains("/") {
            let searchPath = settings.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
            let found = searchPath.split(separator: ":").map { "\($0)/\(path)" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let found else {
                throw DeliveryError(channel: "sendmail:\(path)", kind: .configuration,
                                    reason: "no program named \(OneLine.safe(path, limit: 100)) on PATH; give its full path as sendmail:/path/to/program")
            }
            path = found
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isExecutableFile(atPath: path) else {
            throw DeliveryError(channel: "sendmail:\(path)", kind: .configuration,
                                reason: "\(OneLine.safe(path, limit: 200)) is not an executable program; install a mail transfer agent or name one with sendmail:PATH")
        }
        self.path = path
    }

    func deliver(_ notice: Notice) throws {
        let message: [UInt8]
        do { message = try MailRenderer.render(notice, lineEnding: .lf) } catch { throw error.on(description) }
        func failure(_ kind: DeliveryError.Kind, _ reason: String) -> DeliveryError {
            DeliveryError(channel: description, kind: kind, reason: reason)
        }
        let input: Int32, errors: Int32
        do {
            input = try Self.anonymousFile(containing: message)
        } catch {
            throw failure(.unavailable, "could not create a temporary file for the message (\(error.localizedDescription))")
        }
        defer { close(input) }
        do {
            errors = try Self.anonymousFile(containing: [])
        } catch {
            throw failure(.unavailable, "could not create a temporary file for the message (\(error.localizedDescription))")
        }
        defer { close(errors) }

        let child: ChildProcess
        do {
            child = try ChildProcess(path: path, arguments: ["-oi", "-t"], stdin: .descriptor(input), stdout: .null, stderr: .descriptor(errors))
        } catch {
            throw failure(.unavailable, "could not start \(path) (\(error.localizedDescription))")
        }
        guard let termination = child.wait(timeout: TimeInterval(Self.timeoutSeconds)) else {
            child.kill()
            _ = child.wait(timeout: nil)
            throw failure(.unavailable, "\(path) did not finish within \(Self.timeoutSeconds) s")
        }
        if termination == .exited(0) { return }

        let stderrText = Self.readStart(of: errors, limit: 2000)
        let said = stderrText.isEmpty ? "" : ": \(OneLine.safe(stderrText, limit: 300))"
        switch termination {
        case .signaled(let signal):
            throw failure(.unavailable, "\(path) was killed by signal \(signal)\(said)")
        case .exited(let status):
            // sysexits.h: EX_TEMPFAIL (75) means try again later; anything else is a refusal.
            throw failure(status == 75 ? .unavailable : .refused, "\(path) exited with status \(status)\(said)")
        }
    }

    /// A temporary file already unlinked (close-on-exec), holding `bytes`, positioned at its start.
    static func anonymousFile(containing bytes: [UInt8]) throws -> Int32 {
        var template = Array((FileManager.default.temporaryDirectory.path + "/sigit-sendmail-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
            }
            offset += written
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    /// Up to `limit` bytes from the start of the file `fd`, as text.
    static func readStart(of fd: Int32, limit: Int) -> String {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, limit, 0) }
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }
}
