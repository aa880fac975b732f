import Testing
@testable import Delivery

/// The `--channel` syntax.
@Suite("Delivery: channel spec")
struct ChannelSpecTests {
    @Test("unknown forms are a configuration error listing the accepted ones", arguments: ["", "mailto:bob@example.com", "http://example.com", "smtp:/host", "webhooks:https://x"])
    func unknown(_ spec: String) {
        let error = #expect(throws: DeliveryError.self) { try ChannelSpec.parse(spec, environment: [:], config: { _ in nil }) }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains("smtp://HOST:PORT") == true)
    }

    @Test("DeliveryError is one sentence naming the channel")
    func errorText() {
        let error = DeliveryError(channel: "smtp://h:25", kind: .unavailable, reason: "could not connect\n(refused)")
        #expect(error.description == "cannot deliver via smtp://h:25: could not connect (refused)")
    }
}
