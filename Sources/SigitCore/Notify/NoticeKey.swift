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

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension NoticeKey: Codable {}
