import Delivery
import Foundation

/// Notices, certificates and ports the Delivery tests share.
enum Fixtures {
    /// A request notice from the sigit bot to Bob, threaded under the agreement's first message.
    static func notice(
        to: [MailAddress] = [MailAddress(name: "Bob Baker", email: "bob@example.com")],
        subject: String = "Please approve nda-1",
        body: String = "Hello Bob,\n\nnda-1 waits for your approval.\n\n-- sigit\n",
        messageID: String = "<sigit.nda-1.round-abc.request.bob@sigit.local>"
    ) -> Notice {
        Notice(
            from: MailAddress(name: "sigit", email: "sigit@example.com"),
            to: to,
            subject: subject,
            body: body,
            messageID: messageID,
            inReplyTo: "sigit.nda-1@sigit.local",
            references: ["<sigit.nda-1@sigit.local>", "sigit.nda-1.round-abc@sigit.local"],
            date: Date(timeIntervalSince1970: 1_735_787_045),  // Thu, 02 Jan 2025 03:04:05 +0000
            event: "recipient.request",
            data: ["agreement": "nda-1", "recipient": "bob", "url": "https://example.com/nda-1?x=1&y=2"]
        )
    }

    /// A self-signed certificate for 127.0.0.1 and localhost: (certificate, key), written by openssl into `scratch`.
    static func certificate(in scratch: ScratchDirectory) throws -> (String, String) {
        let cert = scratch.path + "/cert.pem", key = scratch.path + "/key.pem"
        let result = try Python.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        guard result.status == 0 else { throw HarnessError(description: "openssl failed: \(result.stderr)") }
        return (cert, key)
    }

    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Reads a JSON object from `path`.
    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessError(description: "\(path) is not a JSON object")
        }
        return object
    }
}

/// A failure of the test harness itself (a helper did not start), with what it printed.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
}
