import Crypto
import Foundation
import Testing
@testable import Delivery

/// Webhooks through libcurl against a real Python HTTP server on loopback.
@Suite("Delivery: webhook channel")
struct WebhookChannelTests {
    static let secret = "s3cret-shared-key"

    /// A running webhook_sink.py and the requests it recorded.
    struct Sink {
        let scratch: ScratchDirectory
        let server: LoopbackServer
        let requests: String
        var url: String { "http://127.0.0.1:\(server.port)/hooks/sigit" }

        init(_ options: [String] = []) throws {
            scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
            requests = try scratch.sub("requests", directory: true)
            server = try LoopbackServer(python: Python.plain, script: "webhook_sink.py",
                                        arguments: ["--dir", requests, "--secret", WebhookChannelTests.secret] + options,
                                        scratch: scratch)
        }

        func recorded() throws -> [[String: Any]] {
            try scratch.files(in: requests, suffix: ".json").map { try Fixtures.json(requests + "/" + $0) }
        }

        func stop() {
            server.stop()
            scratch.remove()
        }
    }

    private func channel(_ url: String, _ environment: [String: String]? = nil, config: [String: String] = [:]) throws -> any Channel {
        let environment = environment ?? ["SIGIT_WEBHOOK_SECRET": Self.secret, "SIGIT_WEBHOOK_BACKOFF_MS": "1"]
        return try ChannelSpec.parse("webhook:\(url)", environment: environment, config: { config[$0] })
    }

    private func body(_ request: [String: Any]) -> [UInt8] {
        Array(Data(base64Encoded: request["body"] as? String ?? "") ?? Data())
    }

    @Test("a signed POST: JSON payload, event and delivery headers, HMAC verified in Swift and in Python")
    func signedDelivery() throws {
        let sink = try Sink()
        defer { sink.stop() }
        try channel(sink.url).deliver(Fixtures.notice())
        let requests = try sink.recorded()
        try #require(requests.count == 1)
        let request = requests[0]
        let headers = request["headers"] as? [String: String] ?? [:]
        #expect(request["method"] as? String == "POST")
        #expect(request["path"] as? String == "/hooks/sigit")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["x-sigit-event"] == "recipient.request")
        #expect(headers["x-sigit-delivery"] == "sigit.nda-1.round-abc.request.bob@sigit.local")
        #expect(request["signature_ok"] as? Bool == true)

        let bytes = body(request)
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Data(Self.secret.utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        #expect(headers["x-sigit-signature-256"] == "sha256=\(hex)")
        #expect(HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: bytes, using: SymmetricKey(data: Data("other".utf8))) == false)

        let payload = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(payload["event"] as? String == "recipient.request")
        #expect(payload["id"] as? String == "sigit.nda-1.round-abc.request.bob@sigit.local")
        #expect(payload["date"] as? String == "2025-01-02T03:04:05Z")
        #expect(payload["subject"] as? String == "Please approve nda-1")
        #expect(payload["body"] as? String == Fixtures.notice().body)
        #expect(payload["to"] as? [[String: String]] == [["name": "Bob Baker", "email": "bob@example.com"]])
        #expect(payload["data"] as? [String: String] == ["agreement": "nda-1", "recipient": "bob", "url": "https://example.com/nda-1?x=1&y=2"])
        #expect(Set(payload.keys) == ["event", "id", "date", "subject", "to", "body", "data"])
    }

    @Test("503 is retried with backoff until it succeeds, with the same body and delivery id")
    func retriesAfter503() throws {
        let sink = try Sink(["--fail-first", "2"])
        defer { sink.stop() }
        try channel(sink.url).deliver(Fixtures.notice())
        let requests = try sink.recorded()
        #expect(requests.map { $0["status"] as? Int } == [503, 503, 200])
        #expect(Set(requests.map { body($0) }).count == 1)
        #expect(Set(requests.map { ($0["headers"] as? [String: String])?["x-sigit-delivery"] ?? "" }).count == 1)
        #expect(requests.allSatisfy { $0["signature_ok"] as? Bool == true })
    }

    @Test("backoff doubles from SIGIT_WEBHOOK_BACKOFF_MS")
    func backoffTiming() throws {
        let sink = try Sink(["--fail-first", "2"])
        defer { sink.stop() }
        let started = Date()
        try channel(sink.url, ["SIGIT_WEBHOOK_SECRET": Self.secret, "SIGIT_WEBHOOK_BACKOFF_MS": "200"]).deliver(Fixtures.notice())
        #expect(Date().timeIntervalSince(started) >= 0.6)  // 200 ms + 400 ms
    }

    @Test("a webhook that keeps failing is an unavailable error after 4 attempts")
    func givesUp() throws {
        let sink = try Sink(["--status", "503"])
        defer { sink.stop() }
        let error = try #require(throws: DeliveryError.self) { try channel(sink.url).deliver(Fixtures.notice()) }
        #expect(error.kind == .unavailable)
        #expect(error.description.contains("after 4 attempts"))
        #expect(error.description.contains("HTTP 503"))
        #expect(try sink.recorded().count == 4)
    }

    @Test("400 is an error at once, without retries")
    func badRequest() throws {
        let sink = try Sink(["--status", "400"])
        defer { sink.stop() }
        let error = try #require(throws: DeliveryError.self) { try channel(sink.url).deliver(Fixtures.notice()) }
        #expect(error.kind == .refused)
        #expect(error.description.contains("HTTP 400"))
        #expect(error.description.contains("bad payload"))
        #expect(try sink.recorded().count == 1)
    }

    @Test("408 and 429 are retried like 5xx", arguments: [408, 429])
    func retryableClientErrors(_ status: Int) throws {
        let sink = try Sink(["--status", "\(status)"])
        defer { sink.stop() }
        #expect(throws: DeliveryError.self) { try channel(sink.url).deliver(Fixtures.notice()) }
        #expect(try sink.recorded().count == 4)
    }

    @Test("a webhook that is down is retried, then an unavailable error")
    func down() throws {
        let error = try #require(throws: DeliveryError.self) {
            try channel("http://127.0.0.1:\(Fixtures.closedPort())/x").deliver(Fixtures.notice())
        }
        #expect(error.kind == .unavailable)
        #expect(error.description.contains("could not reach the webhook"))
    }

    @Test("without SIGIT_WEBHOOK_SECRET the channel refuses to start")
    func noSecret() {
        for environment in [[:], ["SIGIT_WEBHOOK_SECRET": ""]] {
            let error = #expect(throws: DeliveryError.self) { try channel("https://hooks.example.com/x", environment) }
            #expect(error?.kind == .configuration)
            #expect(error?.description.contains("SIGIT_WEBHOOK_SECRET is not set") == true)
        }
        let inConfig = #expect(throws: DeliveryError.self) {
            try channel("https://hooks.example.com/x", ["SIGIT_WEBHOOK_SECRET": "k"], config: ["sigit.notify.webhook.secret": "k"])
        }
        #expect(inConfig?.description.contains("never live in the repository") == true)
    }

    @Test("the URL must be http(s) without credentials; a query is kept out of the description")
    func urls() throws {
        for bad in ["ftp://example.com/x", "example.com/x", "https://user:pw@example.com/x", "https://exa mple.com/", "http://"] {
            #expect(throws: DeliveryError.self, "\(bad)") { try channel(bad) }
        }
        #expect(throws: DeliveryError.self) {
            try channel("https://example.com/x", ["SIGIT_WEBHOOK_SECRET": "k", "SIGIT_WEBHOOK_BACKOFF_MS": "soon"])
        }
        #expect(try channel("https://hooks.example.com/services/T0?token=abc").description == "webhook:https://hooks.example.com/services/T0?…")
        let noSecret = #expect(throws: DeliveryError.self) { try channel("https://hooks.example.com/services/T0?token=abc", [:]) }
        #expect(noSecret?.description.contains("token=abc") == false)
    }

    @Test("an event name that is not a plain token is refused before sending")
    func eventToken() throws {
        let sink = try Sink()
        defer { sink.stop() }
        var notice = Fixtures.notice()
        notice.event = "recipient.request\r\nX-Evil: 1"
        let error = try #require(throws: DeliveryError.self) { try channel(sink.url).deliver(notice) }
        #expect(error.kind == .invalidNotice)
        #expect(try sink.recorded().isEmpty)
    }
}
