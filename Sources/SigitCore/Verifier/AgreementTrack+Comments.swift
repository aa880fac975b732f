import Foundation

extension AgreementTrack {
    /// Whether the agreement names `identity` under `policy`: a slot of any step or of `cc` or `escalation.to` admits
    /// it, or it created the agreement, made the current revision, sent the current (or last) round, or delegated or
    /// holds a live delegation of it. Those may comment on it.
    public func names(_ identity: String, policy: Policy) -> Bool {
        if let spec = try? spec.get() {
            let slots = spec.workflow.flatMap(\.approvers) + spec.cc + (spec.escalation?.to ?? [])
            if slots.contains(where: { $0.admits(identity, in: policy) }) { return true }
        }
        if created?.identity == identity || authors.contains(identity) || sent?.identity == identity { return true }
        return delegations.values.contains { $0.values.contains { $0.identity == identity || $0.delegate == identity } }
    }

    /// The counted comment that opened the thread `root` (a comment that is neither a reply nor a resolve).
    public func threadRoot(_ root: EventID) -> RecordedEvent? {
        events.first { $0.kind == .comment && $0.eventID == root && $0.comment?.thread == nil }
    }

    /// Whether a counted comment resolves the thread `root`.
    public func isResolved(_ root: EventID) -> Bool {
        events.contains { $0.kind == .comment && $0.comment?.resolves == true && $0.comment?.thread == root }
    }

    /// Whether `identity` may resolve the thread opened by `root`: its author, anyone who sent the agreement in any
    /// round, or an admin of `policy`.
    public func mayResolve(_ root: RecordedEvent, by identity: String, policy: Policy) -> Bool {
        root.identity == identity || policy.allows(.admin, identity) || events.contains { $0.kind == .send && $0.identity == identity }
    }
}
