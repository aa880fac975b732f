import Foundation
import GitKit

/// A valid event that affects one agreement, kept so states can be recomputed after a merge.
public struct RecordedEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: UInt8, Sendable, Equatable {
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

// Binary form for the state snapshot (StateStore).
extension RecordedEvent {
    func write(to w: inout BinaryWriter) {
        w.int(order)
        w.id(commit)
        w.count(Int(kind.rawValue))
        w.string(identity)
        w.date(time)
        w.string(digest)
        w.optional(step) { $0.string($1) }
        w.string(text)
        w.optional(keyBlob) { $0.data($1) }
        w.optional(delegate) { $0.string($1) }
        w.optional(onBehalfOf) { $0.string($1) }
        w.optional(notice) { $1.write(to: &$0) }
    }

    init(reading r: inout BinaryReader) throws {
        order = try r.int()
        commit = try r.id()
        guard let raw = UInt8(exactly: try r.count()), let kind = Kind(rawValue: raw) else { throw BinaryReader.Malformed() }
        self.kind = kind
        identity = try r.string()
        time = try r.date()
        digest = try r.string()
        step = try r.optional { try $0.string() }
        text = try r.string()
        keyBlob = try r.optional { try $0.data() }
        delegate = try r.optional { try $0.string() }
        onBehalfOf = try r.optional { try $0.string() }
        notice = try r.optional { try NoticeKey(reading: &$0) }
    }
}
