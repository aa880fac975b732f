import Foundation

/// The JSON body a webhook receives; keys are sorted so the signed bytes are reproducible.
struct WebhookPayload: Encodable {
    struct Recipient: Encodable {
        let name: String
        let email: String
    }

    let event: String
    let id: String
    let date: String
    let subject: String
    let to: [Recipient]
    let body: String
    let data: [String: String]

    /// The payload of `notice`, whose message id is already normalized (no angle brackets).
    init(_ notice: Notice, messageID: String) {
        event = notice.event
        id = messageID
        date = Timestamp(notice.date).rfc3339
        subject = notice.subject
        to = notice.to.map { Recipient(name: $0.name, email: $0.email) }
        body = notice.body
        data = notice.data
    }

    /// Compact UTF-8 JSON with sorted keys and unescaped slashes.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
