import Foundation

extension AgreementTrack {
    /// Whether the agreement is `identity`'s, as `status --mine` means it: it waits on them (they may fill a slot of
    /// the current step now, for themselves or for whoever delegated it to them), they sent its current or last
    /// round, or they made its current revision.
    public func concerns(_ identity: Identity, policy: Policy?, now: Date) -> Bool {
        if sent?.identity == identity.id || authors.contains(identity.id) { return true }
        guard let policy, phase(at: now) == .inProgress, let step = currentStep else { return false }
        return Eligibility(track: self, step: step, policy: policy).fill(by: identity) != nil
    }
}
