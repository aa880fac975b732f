import Foundation

/// Something waiting for the current signer: a step of an agreement in progress with a slot they can fill.
public struct InboxItem: Sendable, Codable, Equatable {
    /// Agreement id.
    public let id: String
    /// Title (untrusted text).
    public let title: String
    /// The step.
    public let step: String
    /// The slot the signer would fill.
    public let slot: String
    /// Content digest the approval binds to.
    public let digest: String
    /// Deadline, when the agreement expires.
    public let deadline: String?
    /// When the signer holds a delegation: the recipient it acts for.
    public var onBehalfOf: String? = nil
    /// The step is open past its first reminder (or escalation) time.
    public var overdue: Bool = false
    /// When the signer's next reminder is due (RFC 3339), if any is left.
    public var nextReminder: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, title, step, slot, digest, deadline, overdue
        case onBehalfOf = "on-behalf-of"
        case nextReminder = "next-reminder"
    }

    /// What waits for `identity` in `state` as of `now`.
    public static func items(for identity: Identity, in state: RepositoryState, now: Date) -> [InboxItem] {
        guard let policy = state.policy else { return [] }
        var out: [InboxItem] = []
        for track in state.sortedAgreements where track.phase(at: now) == .inProgress {
            guard let step = track.currentStep else { continue }
            // The verifier's own answer: what this identity would fill now (for whoever delegated the step to it).
            guard let fill = Eligibility(track: track, step: step, policy: policy).fill(by: identity) else { continue }
            let principal = fill.principal
            let index = fill.slot
            out.append(InboxItem(id: track.id, title: (try? track.spec.get())?.title ?? "", step: step.name,
                                 slot: step.approvers[index].description, digest: track.digest, deadline: track.deadline.map(RFC3339.format),
                                 onBehalfOf: principal == identity.id ? nil : principal, overdue: NoticeSchedule.overdue(track, now: now),
                                 nextReminder: NoticeSchedule.nextReminder(track, policy: policy, recipient: identity.id, now: now).map(RFC3339.format)))
        }
        return out
    }
}
