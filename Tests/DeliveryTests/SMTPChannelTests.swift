import Foundation
import Testing
@testable import Delivery

/// SMTP through libcurl against a real aiosmtpd server on loopback.
@Suite("Delivery: SMTP channel")
struct SMTPChannelTests {
    /// A running smtp_sink.py, its inbox, and the scratch directory around it.
    struct Sink {
        let scratch: ScratchDirectory
        let server: LoopbackServer
        let inbox: String
        var port: Int { server.port }

        init(_ options: [String] = [], scratch: ScratchDirectory? = nil) throws {
            let scratch = try scratch ?? ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
            self.scratch = scratch
            inbox = try scratch.sub("inbox", directory: true)
            server = try LoopbackServer(python: Python.withAiosmtpd, script: "smtp_sink.py",
                                        arguments: ["--dir", inbox] + options, scratch: scratch)
        }

        /// The envelope record and parsed message of every accepted message, in order.
        func received() throws -> [(envelope: [String: Any], message: [String: Any], raw: String)] {
            try scratch.files(in: inbox, suffix: ".json").map { name in
                let base = inbox + "/" + name.dropLast(".json".count)
                let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: base + ".eml")), as: UTF8.self)
                return (try Fixtures.json(inbox + "/" + name), try Python.parseMail(base + ".eml"), raw)
            }
        }

        func stop() {
            server.stop()
            scratch.remove()
        }
    }

    static let tlsUser = "sigit-bot"
    static let tlsPassword = "correct horse battery staple"

    private func channel(_ spec: String, _ environment: [String: String] = [:], config: [String: String] = [:]) throws -> any Channel {
        try ChannelSpec.parse(spec, environment: environment, config: { config[$0] })
    }

    @Test("plain SMTP delivers envelope, headers, threading and body; a line holding only a dot survives")
    func plainDelivery() throws {
        let sink = try Sink()
        defer { sink.stop() }
        let notice = Fixtures.notice(
            to: [MailAddress(name: "Bob Baker", email: "bob@example.com"), MailAddress(name: "Carol", email: "carol@example.com")],
            body: "Hello,\n.\n..\n.leading dot\nbye\n"
        )
        let smtp = try channel("smtp://127.0.0.1:\(sink.port)")
        #expect(smtp.description == "smtp://127.0.0.1:\(sink.port)")
        try smtp.deliver(notice)

        let received = try sink.received()
        try #require(received.count == 1)
        let (envelope, message, raw) = received[0]
        #expect(envelope["mail_from"] as? String == "sigit@example.com")
        #expect(envelope["rcpt_tos"] as? [String] == ["bob@example.com", "carol@example.com"])
        #expect(envelope["tls"] as? Bool == false)
        #expect(message["message_id"] as? String == "<sigit.nda-1.round-abc.request.bob@sigit.local>")
        #expect(message["in_reply_to"] as? String == "<sigit.nda-1@sigit.local>")
        #expect(message["references"] as? String == "<sigit.nda-1@sigit.local> <sigit.nda-1.round-abc@sigit.local>")
        #expect(message["subject"] as? String == "Please approve nda-1")
        #expect(message["date"] as? String == "Thu, 02 Jan 2025 03:04:05 +0000")
        #expect(message["auto_submitted"] as? String == "auto-generated")
        #expect(message["event"] as? String == "recipient.request")
        #expect(message["content_type"] as? String == "text/plain")
        #expect(message["charset"] as? String == "utf-8")
        #expect(message["body"] as? String == "Hello,\n.\n..\n.leading dot\nbye\n")
        #expect((message["from"] as? [[String: String]])?.first?["email"] == "sigit@example.com")
        #expect((message["to"] as? [[String: String]])?.map { $0["email"] ?? "" } == ["bob@example.com", "carol@example.com"])
        #expect(raw.hasPrefix("Date: Thu, 02 Jan 2025 03:04:05 +0000\r\n"))
    }

    @Test("a non-ASCII subject and names arrive encoded and Python decodes them")
    func nonASCII() throws {
        let sink = try Sink()
        defer { sink.stop() }
        let subject = "Freigabe: Geheimhaltungsvereinbarung für Zoë — 承認 ✍️"
        try channel("smtp://127.0.0.1:\(sink.port)").deliver(Fixtures.notice(
            to: [MailAddress(name: "Zoë Ångström", email: "zoe@example.com")], subject: subject, body: "Grüße, Zoë\n"))
        let received = try sink.received()
        try #require(received.count == 1)
        #expect(received[0].message["subject"] as? String == subject)
        #expect((received[0].message["to"] as? [[String: String]])?.first?["name"] == "Zoë Ångström")
        #expect(received[0].message["body"] as? String == "Grüße, Zoë\n")
        #expect(received[0].raw.contains("Subject: =?UTF-8?B?"))
    }

    @Test("STARTTLS with AUTH: the CA file makes the self-signed certificate trusted, and the user logs in")
    func startTLSWithAuth() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        let (cert, key) = try Fixtures.certificate(in: scratch)
        let sink = try Sink(["--starttls", cert, key, "--auth", "\(Self.tlsUser):\(Self.tlsPassword)"], scratch: scratch)
        defer { sink.stop() }
        let environment = ["SIGIT_SMTP_PASSWORD": Self.tlsPassword, "SIGIT_SMTP_CAFILE": cert]
        let smtp = try channel("smtp+starttls://127.0.0.1:\(sink.port)", environment, config: ["sigit.notify.smtp.user": Self.tlsUser])
        try smtp.deliver(Fixtures.notice())
        let received = try sink.received()
        try #require(received.count == 1)
        #expect(received[0].envelope["tls"] as? Bool == true)
        #expect(received[0].envelope["login"] as? String == Self.tlsUser)
        #expect(received[0].message["subject"] as? String == "Please approve nda-1")
    }

    @Test("smtp:// upgrades with STARTTLS when offered, and the CA file comes from git config")
    func opportunisticTLS() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        let (cert, key) = try Fixtures.certificate(in: scratch)
        let sink = try Sink(["--starttls", cert, key], scratch: scratch)
        defer { sink.stop() }
        try channel("smtp://127.0.0.1:\(sink.port)", config: ["sigit.notify.smtp.cafile": cert]).deliver(Fixtures.notice())
        #expect(try sink.received().first?.envelope["tls"] as? Bool == true)
    }

    @Test("smtps:// speaks TLS from the first byte and authenticates")
    func implicitTLS() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        let (cert, key) = try Fixtures.certificate(in: scratch)
        let sink = try Sink(["--implicit-tls", cert, key, "--auth", "\(Self.tlsUser):\(Self.tlsPassword)"], scratch: scratch)
        defer { sink.stop() }
        let environment = ["SIGIT_SMTP_USER": Self.tlsUser, "SIGIT_SMTP_PASSWORD": Self.tlsPassword, "SIGIT_SMTP_CAFILE": cert]
        try channel("smtps://127.0.0.1:\(sink.port)", environment).deliver(Fixtures.notice())
        let received = try sink.received()
        #expect(received.count == 1)
        #expect(received.first?.envelope["login"] as? String == Self.tlsUser)
    }

    @Test("a wrong password is a DeliveryError naming SMTP authentication, and nothing is delivered")
    func wrongPassword() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        let (cert, key) = try Fixtures.certificate(in: scratch)
        let sink = try Sink(["--starttls", cert, key, "--auth", "\(Self.tlsUser):\(Self.tlsPassword)"], scratch: scratch)
        defer { sink.stop() }
        let environment = ["SIGIT_SMTP_USER": Self.tlsUser, "SIGIT_SMTP_PASSWORD": "wrong", "SIGIT_SMTP_CAFILE": cert]
        let smtp = try channel("smtp+starttls://127.0.0.1:\(sink.port)", environment)
        let error = try #require(throws: DeliveryError.self) { try smtp.deliver(Fixtures.notice()) }
        #expect(error.kind == .refused)
        #expect(error.description.contains("SMTP authentication failed for user \(Self.tlsUser)"))
        #expect(error.description.contains("535"))
        #expect(!error.description.contains("wrong"))
        #expect(try sink.received().isEmpty)
    }

    @Test("without the CA file the self-signed certificate is rejected, and the error says how to trust it")
    func untrustedCertificate() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        let (cert, key) = try Fixtures.certificate(in: scratch)
        let sink = try Sink(["--starttls", cert, key], scratch: scratch)
        defer { sink.stop() }
        let smtp = try channel("smtp+starttls://127.0.0.1:\(sink.port)")
        let error = try #require(throws: DeliveryError.self) { try smtp.deliver(Fixtures.notice()) }
        #expect(error.description.contains("SIGIT_SMTP_CAFILE"))
        #expect(try sink.received().isEmpty)
    }

    @Test("with a user configured, a server without STARTTLS is refused: the password never travels in clear text")
    func authNeedsTLS() throws {
        let sink = try Sink()
        defer { sink.stop() }
        let smtp = try channel("smtp://127.0.0.1:\(sink.port)", ["SIGIT_SMTP_USER": "u", "SIGIT_SMTP_PASSWORD": "p"])
        let error = try #require(throws: DeliveryError.self) { try smtp.deliver(Fixtures.notice()) }
        #expect(error.description.contains("STARTTLS"))
        #expect(try sink.received().isEmpty)
    }

    @Test("smtp+starttls:// refuses a server that does not offer STARTTLS")
    func startTLSRequired() throws {
        let sink = try Sink()
        defer { sink.stop() }
        let error = try #require(throws: DeliveryError.self) {
            try channel("smtp+starttls://127.0.0.1:\(sink.port)").deliver(Fixtures.notice())
        }
        #expect(error.description.contains("does not offer STARTTLS"))
        #expect(try sink.received().isEmpty)
    }

    @Test("a refused recipient fails the whole notice: nothing is sent to the others")
    func refusedRecipient() throws {
        let sink = try Sink(["--refuse-rcpt", "carol@example.com"])
        defer { sink.stop() }
        let notice = Fixtures.notice(to: [MailAddress(email: "bob@example.com"), MailAddress(email: "carol@example.com")])
        let error = try #require(throws: DeliveryError.self) {
            try channel("smtp://127.0.0.1:\(sink.port)").deliver(notice)
        }
        #expect(error.kind == .refused)
        #expect(error.description.contains("550"))
        #expect(try sink.received().isEmpty)
    }

    @Test("a server that is down fails fast with an unavailable DeliveryError")
    func serverDown() throws {
        let port = Fixtures.closedPort()
        let smtp = try channel("smtp://127.0.0.1:\(port)")
        let started = Date()
        let error = try #require(throws: DeliveryError.self) { try smtp.deliver(Fixtures.notice()) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(error.kind == .unavailable)
        #expect(error.isTransient)
        #expect(error.description.contains("smtp://127.0.0.1:\(port)"))
        #expect(error.description.contains("could not connect"))
    }

    @Test("header injection is refused before connecting")
    func injectionRefused() throws {
        let sink = try Sink()
        defer { sink.stop() }
        var notice = Fixtures.notice()
        notice.subject = "Hi\r\nBcc: eve@evil.example"
        let error = try #require(throws: DeliveryError.self) {
            try channel("smtp://127.0.0.1:\(sink.port)").deliver(notice)
        }
        #expect(error.kind == .invalidNotice)
        #expect(error.channel == "smtp://127.0.0.1:\(sink.port)")
        #expect(try sink.received().isEmpty)
    }

    @Test("settings: password only from the environment, user and password together, no credentials in the spec",
          arguments: [
              ("smtp://h:25", [String: String](), ["sigit.notify.smtp.password": "x"], "never live in the repository"),
              ("smtp://h:25", ["SIGIT_SMTP_USER": "u"], [:], "SIGIT_SMTP_PASSWORD is not set"),
              ("smtp://h:25", ["SIGIT_SMTP_PASSWORD": "p"], [:], "no SMTP user"),
              ("smtp://u:p@h:25", [:], [:], "credentials do not belong"),
              ("smtp://h:99999", [:], [:], "HOST:PORT"),
              ("smtp://h/x", [:], [:], "no path"),
              ("smtp://h", ["SIGIT_SMTP_CAFILE": "/nonexistent/ca.pem"], [:], "cannot be read"),
          ])
    func settings(_ spec: String, _ environment: [String: String], _ config: [String: String], _ expected: String) {
        let error = #expect(throws: DeliveryError.self) { try channel(spec, environment, config: config) }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
    }

    @Test("default ports: 25, 587 for smtp+starttls, 465 for smtps; IPv6 in brackets")
    func defaultPorts() throws {
        #expect(try channel("smtp://mail.example.com").description == "smtp://mail.example.com:25")
        #expect(try channel("SMTP+STARTTLS://mail.example.com").description == "smtp+starttls://mail.example.com:587")
        #expect(try channel("smtps://mail.example.com/").description == "smtps://mail.example.com:465")
        #expect(try channel("smtp://[::1]:2525").description == "smtp://[::1]:2525")
    }
}
