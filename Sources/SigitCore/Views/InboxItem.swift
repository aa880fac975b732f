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

    /// What waits for `identity` in `state` as of `now`.
    public static func items(for identity: Identity, in state: RepositoryState, now: Date) -> [InboxItem] {
        guard let policy = state.policy else { return [] }
        var out: [InboxItem] = []
        for track in state.sortedAgreements where track.phase(at: now) == .inProgress {
            guard let step = track.currentStep else { continue }
            let fills = track.fills[step.name] ?? []
            if fills.contains(where: { $0.event.identity == identity.id }) { continue }
            if step.humansOnly, !identity.kind.isHuman { continue }
            if !step.allowAuthor, track.authors.contains(identity.id) { continue }
            let taken = Set(fills.map(\.slot))
            guard let index = step.approvers.indices.first(where: { !taken.contains($0) && step.approvers[$0].admits(identity.id, in: policy) }) else { continue }
            out.append(InboxItem(id: track.id, title: (try? track.spec.get())?.title ?? "", step: step.name,
                                 slot: step.approvers[index].description, digest: track.digest, deadline: track.deadline.map(RFC3339.format)))
        }
        return out
    }
}
