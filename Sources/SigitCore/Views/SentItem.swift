import Foundation

/// An agreement the current signer sent, as `sigit inbox --all` lists it: its state and whom it waits on.
public struct SentItem: Sendable, Codable, Equatable {
    /// Agreement id.
    public let id: String
    /// Title (untrusted text).
    public let title: String
    /// The state now.
    public let state: String
    /// The current step, while in progress.
    public let step: String?
    /// The slots of the current step still waiting (`slot` or `slot (identity)`), while in progress.
    public let waitingOn: [String]
    /// Slots of the current step nobody may fill now (see `status`).
    public let blocked: [String]
    /// Comment threads no comment resolved.
    public let openThreads: Int

    enum CodingKeys: String, CodingKey {
        case id, title, state, step, blocked
        case waitingOn = "waiting-on"
        case openThreads = "open-threads"
    }

    /// The agreements whose current (or last) round `identity` sent, as of `now`.
    public static func items(sentBy identity: String, in state: RepositoryState, now: Date) -> [SentItem] {
        state.sortedAgreements.filter { $0.treeID != nil && $0.sent?.identity == identity }.map { track in
            let status = AgreementStatus(track: track, policy: state.policy, now: now)
            let slots = status.steps.first { $0.step == status.currentStep }?.slots ?? []
            func named(_ slot: SlotStatus) -> String { slot.identity.map { $0 == slot.slot ? $0 : "\(slot.slot) (\($0))" } ?? slot.slot }
            return SentItem(id: track.id, title: status.title, state: status.state, step: status.currentStep,
                            waitingOn: slots.filter { $0.state == "pending" }.map(named), blocked: slots.filter { $0.state == "blocked" }.map(named),
                            openThreads: status.openThreads)
        }
    }
}
