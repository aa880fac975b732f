import Foundation
import GitKit

/// A valid event that affects one agreement, kept so states can be recomputed after a merge.
public struct RecordedEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: Sendable, Equatable {
        case draft
        case send
        case approve
        case decline
        case void
        case notify
        case delegate
    }
    /// Position in the topological walk (parents first).
    public let order: Int
    /// The commit.
    public let commit: ObjectID
    /// What happened.
    public let kind: Kind
    /// Who did it.
    public let identity: String
    /// Committer time.
    public let time: Date
    /// The content digest it applies to (draft: the new digest).
    public let digest: String
    /// Step, for approve and decline.
    public let step: String?
    /// Reason or comment from the message body.
    public let text: String
    /// Blob of the key that signed it (so a later revocation can find its events).
    public var keyBlob: Data? = nil
    /// For a delegate event: who receives the step.
    public var delegate: String? = nil
    /// For an approve or decline by a delegate: the recipient it acts for.
    public var onBehalfOf: String? = nil
    /// For a notify event: who was told, what, and by which channel type.
    public var notice: NoticeKey? = nil
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension RecordedEvent: Codable {}
extension RecordedEvent.Kind: Codable {}
