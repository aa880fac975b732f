/// Identifies one notice within an agreement's round, so a notice recorded once is never sent again.
public struct NoticeKey: Sendable, Hashable {
    /// Who was told.
    public let recipient: String
    /// What they were told.
    public let kind: NoticeKind
    /// The step it concerns (request, reminder, escalation), else nil.
    public let step: String?
    /// The channel type that delivered it (`smtp`, `sendmail`, `webhook`, `outbox`).
    public let channel: String
}

// Binary form for the state snapshot (StateStore).
extension NoticeKey {
    func write(to w: inout BinaryWriter) {
        w.string(recipient)
        w.string(kind.rawValue)
        w.optional(step) { $0.string($1) }
        w.string(channel)
    }

    init(reading r: inout BinaryReader) throws {
        recipient = try r.string()
        guard let kind = NoticeKind(rawValue: try r.string()) else { throw BinaryReader.Malformed() }
        self.kind = kind
        step = try r.optional { try $0.string() }
        channel = try r.string()
    }
}
