/// What a notification tells its recipient (spec sections 2 and 6: the values of `Sigit-Notice`).
public enum NoticeKind: String, Sendable, CaseIterable, Codable {
    /// The recipient's turn has come.
    case request
    /// The recipient's turn is still open.
    case reminder
    /// The step is overdue; told to `escalation.to`.
    case escalation
    /// The agreement expires soon.
    case expiryWarning = "expiry-warning"
    /// The agreement was completed.
    case completed
    /// The agreement was declined.
    case declined
    /// The agreement was voided.
    case voided

    /// Webhook event name, close to DocuSign Connect and Documenso event names.
    public var webhookEvent: String {
        switch self {
        case .request: return "recipient.request"
        case .reminder: return "recipient.reminder"
        case .escalation: return "envelope.escalated"
        case .expiryWarning: return "envelope.expiring"
        case .completed: return "envelope.completed"
        case .declined: return "envelope.declined"
        case .voided: return "envelope.voided"
        }
    }
}
