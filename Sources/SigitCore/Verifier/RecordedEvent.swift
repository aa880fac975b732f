import Foundation
import GitKit

/// A valid event that affects one agreement, kept so states can be recomputed after a merge.
///
/// Immutable and shared by reference: a track lists its events and its derived state (fills, stale, the send) points
/// at the same objects, so each event is held once (at 100k commits, copies of a 240-byte value in every derived
/// field were a fifth of the memory). Equality compares the values.
public final class RecordedEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: UInt8, Sendable, Equatable {
        case draft
        case send
        case approve
        case decline
        case void
        case notify
        case delegate
        /// A comment: signed, decides nothing (it never moves the agreement's state).
        case comment
        /// Not a signed event: a merge joined two sides that each started their own round or revision since their
        /// merge base; the agreement is back in draft (spec section 4, *Joining at merges*). `text` lists the
        /// authors of both revisions, one per line.
        case rejoin
        /// Not a signed event: the slot fills of two sides joined at a merge complete the agreement there, so the
        /// merge is the commit that completed it.
        case joinCompleted
    }
    /// Position in the topological walk (parents first).
    public let order: Int
    /// The commit.
    public let commit: ObjectID
    /// The event's identity (SHA-256 of its signed payload; for the join markers, one derived from the merge): a
    /// copy of the commit under another id is the same event and counts once.
    public let eventID: EventID
    /// The round the event belongs to: the identity of the `send` that opened the round current at the event's own
    /// parents (a send's round is itself); nil for drafts and for events made while no round was open. An
    /// approval, decline, delegation or notice counts only for its own round, whatever a later merge does.
    public let round: EventID?
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
    /// Blob of the key that signed it (so a later revocation can find its events).
    public let keyBlob: Data?
    /// For an approve or decline: the index of the slot of its step it was validated for, fixed at its commit.
    let slot: Int?
    /// Reason or comment from the message body.
    public var text: String { details?.text ?? "" }
    /// For a delegate event: who receives the step.
    public var delegate: String? { details?.delegate }
    /// For an approve or decline by a delegate: the recipient it acts for.
    public var onBehalfOf: String? { details?.onBehalfOf }
    /// For a notify event: who was told, what, and by which channel type.
    public var notice: NoticeKey? { details?.notice }

    /// The identity of the signed event this was recorded from (spec section 2): `eventID`, except for the second
    /// and later notices of a notify event, which count under identities derived from it. A time-stamp token is named
    /// after this one (spec section 8).
    public var signedEventID: EventID { details?.signedEvent ?? eventID }

    /// For a comment: where it is anchored and which thread it answers or resolves.
    public var comment: Comment? { details?.comment }

    /// A comment's anchor and thread links, as its trailers carry them.
    public struct Comment: Sendable, Equatable {
        /// The file of the agreement's folder it is about (`Sigit-File`); nil on a reply, a resolve, or a general comment.
        public let file: String?
        /// The line of `file` (`Sigit-Line`).
        public let line: Int?
        /// The first comment of the thread this one answers (`Sigit-Reply-To`) or resolves (`Sigit-Resolve`).
        public let thread: EventID?
        /// True when this comment resolves `thread`.
        public let resolves: Bool
    }

    /// What most events do not have, held apart so an event without it is 100 bytes smaller (a walk of 100k commits
    /// holds every event).
    private final class Details: Sendable {
        let text: String
        let delegate: String?
        let onBehalfOf: String?
        let notice: NoticeKey?
        let comment: Comment?
        let signedEvent: EventID?

        init(text: String, delegate: String?, onBehalfOf: String?, notice: NoticeKey?, comment: Comment?, signedEvent: EventID?) {
            self.text = text
            self.delegate = delegate
            self.onBehalfOf = onBehalfOf
            self.notice = notice
            self.comment = comment
            self.signedEvent = signedEvent
        }
    }
    private let details: Details?

    /// An event.
    init(order: Int, commit: ObjectID, eventID: EventID, round: EventID?, kind: Kind, identity: String, time: Date, digest: String, step: String?,
         text: String, keyBlob: Data? = nil, delegate: String? = nil, onBehalfOf: String? = nil, notice: NoticeKey? = nil, slot: Int? = nil, comment: Comment? = nil,
         signedEvent: EventID? = nil) {
        self.order = order
        self.commit = commit
        self.eventID = eventID
        self.round = round
        self.kind = kind
        self.identity = identity
        self.time = time
        self.digest = digest
        self.step = step
        self.keyBlob = keyBlob
        self.slot = slot
        let derived = signedEvent == eventID ? nil : signedEvent
        let plain = text.isEmpty && delegate == nil && onBehalfOf == nil && notice == nil && comment == nil && derived == nil
        details = plain ? nil : Details(text: text, delegate: delegate, onBehalfOf: onBehalfOf, notice: notice, comment: comment, signedEvent: derived)
    }

    /// Equal when every field is (the same object at once).
    public static func == (a: RecordedEvent, b: RecordedEvent) -> Bool {
        a === b || (a.order == b.order && a.commit == b.commit && a.eventID == b.eventID && a.round == b.round && a.kind == b.kind && a.identity == b.identity && a.time == b.time
            && a.digest == b.digest && a.step == b.step && a.text == b.text && a.keyBlob == b.keyBlob && a.delegate == b.delegate
            && a.onBehalfOf == b.onBehalfOf && a.notice == b.notice && a.slot == b.slot && a.comment == b.comment && a.signedEventID == b.signedEventID)
    }
}

// Binary form for the state snapshot (StateStore).
extension RecordedEvent {
    func write(to w: inout BinaryWriter) {
        w.int(order)
        w.id(commit)
        w.raw(Data(eventID.bytes))
        w.optional(round) { $0.raw(Data($1.bytes)) }
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
        w.optional(slot) { $0.int($1) }
        w.optional(comment) { w, comment in
            w.optional(comment.file) { $0.string($1) }
            w.optional(comment.line) { $0.int($1) }
            w.optional(comment.thread) { $0.raw(Data($1.bytes)) }
            w.bool(comment.resolves)
        }
        w.optional(details?.signedEvent) { $0.raw(Data($1.bytes)) }
    }

    convenience init(reading r: inout BinaryReader) throws {
        let order = try r.int()
        let commit = try r.id()
        let eventID = EventID(digest: try r.raw(32))
        let round = try r.optional { EventID(digest: try $0.raw(32)) }
        guard let raw = UInt8(exactly: try r.count()), let kind = Kind(rawValue: raw) else { throw BinaryReader.Malformed() }
        self.init(order: order, commit: commit, eventID: eventID, round: round, kind: kind, identity: try r.string(), time: try r.date(), digest: try r.string(),
                  step: try r.optional { try $0.string() }, text: try r.string(), keyBlob: try r.optional { try $0.data() },
                  delegate: try r.optional { try $0.string() }, onBehalfOf: try r.optional { try $0.string() },
                  notice: try r.optional { try NoticeKey(reading: &$0) }, slot: try r.optional { try $0.int() },
                  comment: try r.optional { r in
                      Comment(file: try r.optional { try $0.string() }, line: try r.optional { try $0.int() },
                              thread: try r.optional { EventID(digest: try $0.raw(32)) }, resolves: try r.bool())
                  },
                  signedEvent: try r.optional { EventID(digest: try $0.raw(32)) })
    }
}
