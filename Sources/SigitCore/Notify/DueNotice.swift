import Foundation

/// A notice that history says is due and has not been recorded yet.
public struct DueNotice: Sendable, Equatable {
    /// Agreement id.
    public let agreement: String
    /// Identity to tell.
    public let recipient: String
    /// What to tell.
    public let kind: NoticeKind
    /// The step concerned (request, reminder, escalation).
    public let step: String?
    /// 1 for the first notice of this kind to this recipient in the round, 2 for the second reminder, …
    public let sequence: Int
    /// When it became due.
    public let due: Date
}
