import Foundation
import GitKit

/// A counted, signed event a time-stamp token may cover (spec section 8), with the identity that signed it.
public struct StampableEvent: Sendable, Equatable {
    /// The event's identity: the token's file is named after it.
    public let event: EventID
    /// The commit whose object the token's imprint hashes.
    public let commit: ObjectID
    /// The key blob that signed it.
    public let keyBlob: Data?
    /// The agreement it belongs to; nil for a policy event.
    public let agreement: String?
}

extension RepositoryState {
    /// The events a token may cover: every signed event an agreement counts (draft, send, approve, decline,
    /// delegate, void, notify, comment; not the join markers), and every signed policy event (the changes and
    /// approvals of the ratified policies and of the pending ones). `agreements` limits it to those agreements
    /// (and then leaves the policy events out). Oldest first, each event once.
    public func stampableEvents(agreements ids: Set<String>? = nil) -> [StampableEvent] {
        var out: [StampableEvent] = []
        var seen = Set<EventID>()
        if ids == nil {
            let policyEvents = ratifications.flatMap(\.signatures) + pending.values.sorted { $0.digest < $1.digest }.flatMap(\.signatures)
            for signed in policyEvents {
                guard let event = signed.event, seen.insert(event).inserted else { continue }
                out.append(StampableEvent(event: event, commit: signed.commit, keyBlob: signed.keyBlob, agreement: nil))
            }
        }
        for id in agreements.keys.sorted() where ids?.contains(id) ?? true {
            guard let track = agreements[id] else { continue }
            for recorded in track.events where recorded.keyBlob != nil && recorded.kind != .rejoin && recorded.kind != .joinCompleted {
                // A notify event records one event per notice: it is stamped once, under its signed identity.
                guard seen.insert(recorded.signedEventID).inserted else { continue }
                out.append(StampableEvent(event: recorded.signedEventID, commit: recorded.commit, keyBlob: recorded.keyBlob, agreement: id))
            }
        }
        return out
    }
}
