import Foundation
import Testing
@testable import Delivery

/// sendmail: the message goes to `PATH -oi -t` on standard input.
@Suite("Delivery: sendmail channel")
struct SendmailChannelTests {
    /// A fake sendmail in `scratch` that records its arguments and standard input, then runs `tail`.
    private func fakeSendmail(_ scratch: ScratchDirectory, tail: String = "exit 0") throws -> String {
        let path = scratch.path + "/sendmail"
        let script = """
            #!/bin/sh
            for arg in "$@"; do printf '%s\\n' "$arg"; done > "\(scratch.path)/argv"
            cat > "\(scratch.path)/stdin"
            \(tail)

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test("the message is piped to PATH -oi -t with LF line ends")
    func pipesMessage() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let sendmail = try ChannelSpec.parse("sendmail:\(try fakeSendmail(scratch))", environment: [:], config: { _ in nil })
        let notice = Fixtures.notice(body: "Hello\n.\nbye\n")
        try sendmail.deliver(notice)
        #expect(try String(contentsOfFile: scratch.path + "/argv", encoding: .utf8) == "-oi\n-t\n")
        let stdin = try String(contentsOfFile: scratch.path + "/stdin", encoding: .utf8)
        #expect(!stdin.contains("\r"))
        #expect(stdin.hasPrefix("Date: Thu, 02 Jan 2025 03:04:05 +0000\nFrom: sigit <sigit@example.com>\nTo: Bob Baker <bob@example.com>\n"))
        #expect(stdin.hasSuffix("\n\nHello\n.\nbye\n"))
    }

    @Test("a non-zero exit is a DeliveryError with its stderr on one line", arguments: [(1, DeliveryError.Kind.refused), (75, .unavailable)])
    func failure(_ status: Int, _ kind: DeliveryError.Kind) throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let path = try fakeSendmail(scratch, tail: "printf 'sendmail: fatal: no such user\\r\\n\\033[31mreally\\n' >&2; exit \(status)")
        let sendmail = try ChannelSpec.parse("sendmail:\(path)", environment: [:], config: { _ in nil })
        let error = try #require(throws: DeliveryError.self) { try sendmail.deliver(Fixtures.notice()) }
        #expect(error.kind == kind)
        #expect(error.description.contains("exited with status \(status): sendmail: fatal: no such user"))
        #expect(!error.description.contains("\n") && !error.description.contains("\u{1B}"))
    }

    @Test("a program that does not read its input still fails cleanly (no SIGPIPE)")
    func ignoresInput() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let path = scratch.path + "/sendmail"
        try "#!/bin/sh\nexit 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        let notice = Fixtures.notice(body: String(repeating: "x\n", count: 200_000))
        #expect(throws: DeliveryError.self) {
            try ChannelSpec.parse("sendmail:\(path)", environment: [:], config: { _ in nil }).deliver(notice)
        }
    }

    @Test("a missing program is a configuration error; a bare name is looked up on PATH")
    func lookup() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let missing = #expect(throws: DeliveryError.self) {
            try ChannelSpec.parse("sendmail:\(scratch.path)/nope", environment: [:], config: { _ in nil })
        }
        #expect(missing?.kind == .configuration)
        let path = try fakeSendmail(scratch)
        let found = try ChannelSpec.parse("sendmail:sendmail", environment: ["PATH": "/nonexistent:\(scratch.path)"], config: { _ in nil })
        #expect(found.description == "sendmail:\(path)")
    }
}
