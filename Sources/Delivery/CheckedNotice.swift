/// A notice whose header fields passed every check, with its message ids normalized (no angle brackets).
struct CheckedNotice {
    let messageID: String
    let inReplyTo: String?
    let references: [String]

    /// Checks every field that reaches a header, SMTP command or HTTP header; throws `.invalidNotice` on the first problem.
    init(_ notice: Notice) throws(DeliveryError) {
        try HeaderSyntax.refuseLineBreaks(notice.subject, field: "subject")
        try HeaderSyntax.checkAddress(notice.from, role: "sender")
        guard !notice.to.isEmpty else { throw HeaderSyntax.invalid("the notice has no recipient") }
        for recipient in notice.to { try HeaderSyntax.checkAddress(recipient, role: "recipient") }
        guard !notice.event.isEmpty, notice.event.utf8.count <= 100,
              notice.event.utf8.allSatisfy(Self.isEventByte) else {
            throw HeaderSyntax.invalid("the event name \"\(OneLine.safe(notice.event, limit: 80))\" must be letters, digits, dots, dashes and underscores")
        }
        messageID = try HeaderSyntax.normalizedMessageID(notice.messageID, field: "message id")
        inReplyTo = try notice.inReplyTo.map { raw throws(DeliveryError) in
            try HeaderSyntax.normalizedMessageID(raw, field: "In-Reply-To id")
        }
        var references: [String] = []
        for raw in notice.references {
            references.append(try HeaderSyntax.normalizedMessageID(raw, field: "References id"))
        }
        self.references = references
    }

    /// The bytes of an event name: it travels in a mail header and an HTTP header, so it stays a plain token.
    static func isEventByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "._-".utf8.contains(byte)
    }
}
