import Foundation
import Testing
@testable import Delivery

/// RFC 5322 rendering: the headers a notice becomes, and what is refused before anything is sent.
@Suite("Delivery: RFC 5322 message")
struct MailRendererTests {
    private func text(_ notice: Notice) throws -> String {
        String(decoding: try MailRenderer.render(notice), as: UTF8.self)
    }

    @Test("headers carry date, addresses, ids, threading, MIME and Auto-Submitted, with CRLF line ends")
    func headers() throws {
        let message = try text(Fixtures.notice())
        let head = message.components(separatedBy: "\r\n\r\n")[0]
        #expect(head.components(separatedBy: "\r\n") == [
            "Date: Thu, 02 Jan 2025 03:04:05 +0000",
            "From: sigit <sigit@example.com>",
            "To: Bob Baker <bob@example.com>",
            "Subject: Please approve nda-1",
            "Message-ID: <sigit.nda-1.round-abc.request.bob@sigit.local>",
            "In-Reply-To: <sigit.nda-1@sigit.local>",
            "References: <sigit.nda-1@sigit.local> <sigit.nda-1.round-abc@sigit.local>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Auto-Submitted: auto-generated",
            "X-Sigit-Event: recipient.request",
            "Content-Transfer-Encoding: 7bit",
        ])
        #expect(message.hasSuffix("-- sigit\r\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("sendmail gets LF line ends")
    func lfLineEnds() throws {
        let message = String(decoding: try MailRenderer.render(Fixtures.notice(), lineEnding: .lf), as: UTF8.self)
        #expect(!message.contains("\r"))
        #expect(message.contains("\nSubject: Please approve nda-1\n"))
    }

    static let injections: [(String, Notice)] = {
        let base = Fixtures.notice()
        var cases: [(String, Notice)] = []
        var n = base; n.subject = "Hi\r\nBcc: eve@evil.example"; cases.append(("subject CRLF", n))
        n = base; n.subject = "Hi\nBcc: eve@evil.example"; cases.append(("subject LF", n))
        n = base; n.subject = "Hi\u{0}there"; cases.append(("subject NUL", n))
        n = base; n.to = [MailAddress(name: "Bob\r\nBcc: eve@evil.example", email: "bob@example.com")]; cases.append(("name", n))
        n = base; n.to = [MailAddress(name: "Bob", email: "bob@example.com\r\nBcc: eve@evil.example")]; cases.append(("address", n))
        n = base; n.from = MailAddress(name: "sigit\n", email: "sigit@example.com"); cases.append(("sender name", n))
        n = base; n.messageID = "<a@b>\r\nBcc: eve@evil.example"; cases.append(("message id", n))
        n = base; n.inReplyTo = "a@b\nX: y"; cases.append(("In-Reply-To", n))
        n = base; n.references = ["a@b", "c@d\rX: y"]; cases.append(("References", n))
        return cases
    }()

    @Test("a line break or NUL inside a header value is refused (header injection)", arguments: injections)
    func headerInjection(_ label: String, _ notice: Notice) {
        #expect {
            try MailRenderer.render(notice)
        } throws: { error in
            guard let error = error as? DeliveryError else { return false }
            return error.kind == .invalidNotice && !error.description.contains("\n") && !error.description.contains("\r")
        }
    }

    @Test("an address must be one plain addr-spec", arguments: [
        "bob", "bob@", "@example.com", "bob smith@example.com", "<bob@example.com>", "bob@example.com, eve@example.com",
        "bob@@example.com", "bob@exa mple.com", "bøb@example.com", "\"bob\"@example.com", "bob@-example.com", "bob.@example.com", "",
    ])
    func invalidAddress(_ email: String) {
        var notice = Fixtures.notice()
        notice.to = [MailAddress(name: "Bob", email: email)]
        #expect(throws: DeliveryError.self) { try MailRenderer.render(notice) }
    }

    @Test("plain addresses pass", arguments: ["bob@example.com", "bob.o'neil+nda@mail.example.co.uk", "root@localhost", "a_b-c@x-y.example"])
    func validAddress(_ email: String) throws {
        var notice = Fixtures.notice()
        notice.to = [MailAddress(email: email)]
        #expect(try text(notice).contains("\r\nTo: \(email)\r\n"))
    }

    @Test("message ids are normalized with or without angle brackets, and malformed ones refused")
    func messageIDs() throws {
        var notice = Fixtures.notice(messageID: "sigit.x@sigit.local")
        #expect(try text(notice).contains("\r\nMessage-ID: <sigit.x@sigit.local>\r\n"))
        for bad in ["no-at-sign", "<a b@c>", "a@b@c", "<a@b", "a@b>", "<>", ""] {
            notice.messageID = bad
            #expect(throws: DeliveryError.self, "\(bad)") { try MailRenderer.render(notice) }
        }
    }

    @Test("non-ASCII header text becomes RFC 2047 encoded-words of at most 75 characters")
    func encodedWords() throws {
        let subject = "Bitte unterschreiben: Geheimhaltungsvereinbarung für Zoë & Søren — 契約書の承認をお願いします 🖋️"
        let notice = Fixtures.notice(
            to: [MailAddress(name: "Zoë Ångström", email: "zoe@example.com"), MailAddress(name: "Smith, Bob \"B\"", email: "bob@example.com")],
            subject: subject
        )
        let message = try text(notice)
        let head = message.components(separatedBy: "\r\n\r\n")[0]
        #expect(head.utf8.allSatisfy { $0 < 0x80 })
        #expect(head.contains("=?UTF-8?B?"))
        #expect(head.replacingOccurrences(of: "\r\n ", with: " ").contains("\"Smith, Bob \\\"B\\\"\" <bob@example.com>"))
        for line in head.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
        #expect(HeaderSyntax.encodedWords(subject).allSatisfy { $0.count <= 75 })
    }

    @Test("text that only looks like an encoded-word is encoded, so readers do not decode it")
    func literalEncodedWord() throws {
        let message = try text(Fixtures.notice(subject: "About =?UTF-8?B?SGk=?= literally"))
        #expect(!message.contains("Subject: About =?UTF-8?B?SGk=?= literally"))
    }

    @Test("a long ASCII subject is folded at spaces")
    func folding() throws {
        let subject = Array(repeating: "approve", count: 30).joined(separator: " ")
        let message = try text(Fixtures.notice(subject: subject))
        let head = message.components(separatedBy: "\r\n\r\n")[0]
        #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(head.replacingOccurrences(of: "\r\n ", with: " ").contains("Subject: \(subject)\r\n"))
    }

    @Test("a non-ASCII body is 8bit; a line over 998 octets or a NUL makes it quoted-printable")
    func bodyEncoding() throws {
        #expect(try text(Fixtures.notice(body: "Grüße\n")).contains("Content-Transfer-Encoding: 8bit\r\n"))
        let long = String(repeating: "ä", count: 600) + " end"  // 1204 octets
        let message = try text(Fixtures.notice(body: "first\n\(long)\n.\nlast \n"))
        #expect(message.contains("Content-Transfer-Encoding: quoted-printable\r\n"))
        #expect(message.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(message.contains("\r\nlast=20\r\n"))
    }

    @Test("quoted-printable lines never exceed 76 characters and never split an escape")
    func quotedPrintable() {
        let line = Array(String(repeating: "a=b ü\t", count: 80).utf8)
        let lines = MailBody.quotedPrintable(line)
        #expect(lines.allSatisfy { $0.count <= 76 })
        for physical in lines.dropLast() { #expect(physical.last == UInt8(ascii: "=")) }
        // Undo the encoding and compare.
        var decoded: [UInt8] = []
        for (index, physical) in lines.enumerated() {
            var bytes = physical
            if index < lines.count - 1 { bytes.removeLast() }
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "="), let value = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                    decoded.append(value); i += 3
                } else {
                    decoded.append(bytes[i]); i += 1
                }
            }
        }
        #expect(decoded == line)
    }

    @Test("CRLF and lone CR in a body are read as line ends")
    func bodyLineEnds() throws {
        let message = try text(Fixtures.notice(body: "a\r\nb\rc\n"))
        #expect(message.hasSuffix("\r\n\r\na\r\nb\r\nc\r\n"))
    }

    @Test("Python's email package reads back subject, names, body and threading")
    func pythonReadsBack() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let subject = "Genehmigung erforderlich: Vertraulichkeitsvereinbarung „Zoë“ — 承認してください ✍️ bitte bis Freitag"
        let long = String(repeating: "x", count: 1500)
        let notice = Fixtures.notice(
            to: [MailAddress(name: "Zoë Ångström", email: "zoe@example.com"), MailAddress(name: "Smith, Bob", email: "bob@example.com")],
            subject: subject, body: "Hallo Zoë,\n.\n\(long)\nende\n"
        )
        let file = scratch.path + "/m.eml"
        try Data(try MailRenderer.render(notice)).write(to: URL(fileURLWithPath: file))
        let parsed = try Python.parseMail(file)
        #expect(parsed["subject"] as? String == subject)
        let to = parsed["to"] as? [[String: String]]
        #expect(to?.map { $0["name"] ?? "" } == ["Zoë Ångström", "Smith, Bob"])
        #expect(to?.map { $0["email"] ?? "" } == ["zoe@example.com", "bob@example.com"])
        #expect(parsed["body"] as? String == "Hallo Zoë,\n.\n\(long)\nende\n")
        #expect(parsed["in_reply_to"] as? String == "<sigit.nda-1@sigit.local>")
        #expect(parsed["references"] as? String == "<sigit.nda-1@sigit.local> <sigit.nda-1.round-abc@sigit.local>")
        #expect(parsed["defects"] as? [String] == [])
        #expect((parsed["max_line"] as? Int ?? 9999) <= 998)
        #expect(parsed["bare_lf"] as? Bool == false)
    }
}
