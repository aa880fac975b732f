import Foundation

/// The derived state of one agreement, as `sigit status` shows it and `--json` prints it.
public struct AgreementStatus: Sendable, Codable, Equatable {
    /// Agreement id.
    public let id: String
    /// Title from `agreement.yml` (untrusted text; escaped when printed).
    public let title: String
    /// `draft`, `in-progress`, `completed`, `declined`, `voided`, `expired`, `invalid`.
    public let state: String
    /// Content digest, `sha256:<hex>`.
    public let digest: String
    /// The step whose turn it is, while in progress.
    public let currentStep: String?
    /// Deadline of the current round (RFC 3339), when it expires.
    public let deadline: String?
    /// Steps with their slots.
    public let steps: [StepStatus]
    /// Approvals that no longer count (an older digest or round).
    public let stale: Int
    /// The current step is open past its first reminder (or escalation) time.
    public let overdue: Bool
    /// When the next reminder of the current step is due (RFC 3339), if any is left.
    public let nextReminder: String?
    /// The commit since which the files in the tree are not the content this state counts (a violation changed
    /// them); nil when they are.
    public let tamperedAt: String?
    /// The commit at which the agreement became completed (an approval, or a merge that joined the last fills).
    public let completedAt: String?
    /// For a declined or voided agreement: the reason the decline or void gave (untrusted text).
    public let reason: String?
    /// Comment threads, oldest first (comments decide nothing).
    public let threads: [CommentThread]
    /// Threads no comment resolved.
    public let openThreads: Int

    enum CodingKeys: String, CodingKey {
        case id, title, state, digest, deadline, steps, stale, overdue, reason, threads
        case openThreads = "open-threads"
        case currentStep = "current-step"
        case nextReminder = "next-reminder"
        case tamperedAt = "tampered-at"
        case completedAt = "completed-at"
    }

    /// Whether `status --check` passes: completed, and the files are the content that was completed.
    public var isSettledCompletion: Bool { state == "completed" && tamperedAt == nil }

    /// Derives the status of `track` under `policy` as of `now`.
    public init(track: AgreementTrack, policy: Policy?, now: Date) {
        let summary = AgreementSummary(track: track, now: now)
        id = summary.id
        title = summary.title
        state = summary.state
        digest = summary.digest
        currentStep = summary.currentStep
        overdue = summary.overdue
        tamperedAt = summary.tamperedAt
        completedAt = track.phase == .completed ? track.completedAt?.hex : nil
        reason = summary.reason
        openThreads = summary.openThreads
        threads = CommentThread.threads(of: track)
        let phase = track.phase(at: now)
        deadline = track.deadline.map(RFC3339.format)
        stale = track.stale.count
        nextReminder = NoticeSchedule.nextReminder(track, policy: policy, now: now).map(RFC3339.format)
        let current = phase == .inProgress ? track.currentStep : nil
        var steps: [StepStatus] = []
        for step in track.workflow {
            let fills = track.fills[step.name] ?? []
            let complete = fills.count >= step.needed
            let declinedHere = phase == .declined && track.declined?.step == step.name
            let isCurrent = current?.name == step.name
            var slots: [SlotStatus] = []
            for (index, slot) in step.approvers.enumerated() {
                let fixed: String? = { if case .identity(let name) = slot { return name } else { return nil } }()
                if let fill = fills.first(where: { $0.slot == index }) {
                    slots.append(SlotStatus(slot: slot.description, identity: fill.event.identity, state: "approved", commit: fill.event.commit.hex,
                                            onBehalfOf: fill.event.onBehalfOf))
                } else if !complete, let handed = track.delegations[step.name]?.values.sorted(by: { $0.order < $1.order }).first(where: { event in
                              (policy.map { slot.admits(event.identity, in: $0) } ?? (fixed == event.identity)) && !slots.contains { $0.identity == event.identity }
                          }) {
                    slots.append(SlotStatus(slot: slot.description, identity: handed.identity, state: "delegated", commit: handed.commit.hex, delegate: handed.delegate))
                } else if declinedHere, let decline = track.declined, policy.map({ slot.admits(decline.identity, in: $0) }) ?? (fixed == decline.identity),
                          !slots.contains(where: { $0.state == "declined" }) {
                    slots.append(SlotStatus(slot: slot.description, identity: decline.identity, state: "declined", commit: decline.commit.hex))
                } else if complete {
                    slots.append(SlotStatus(slot: slot.description, identity: fixed, state: "not-needed", commit: nil))
                } else if let old = track.stale.last(where: { event in event.step == step.name && (policy.map { slot.admits(event.identity, in: $0) } ?? (fixed == event.identity)) }),
                          !isCurrent || phase != .inProgress {
                    slots.append(SlotStatus(slot: slot.description, identity: old.identity, state: "stale", commit: old.commit.hex))
                } else if isCurrent, let policy, !Eligibility(track: track, step: step, policy: policy).isFillable(index) {
                    // Nobody may fill it now (its only holders made the revision, are not human, or there are none):
                    // the same answer inbox and notify give, so no one is told it waits for them.
                    slots.append(SlotStatus(slot: slot.description, identity: fixed, state: "blocked", commit: nil))
                } else if isCurrent {
                    slots.append(SlotStatus(slot: slot.description, identity: fixed, state: "pending", commit: nil))
                } else {
                    slots.append(SlotStatus(slot: slot.description, identity: fixed, state: "waiting", commit: nil))
                }
            }
            let stepState = declinedHere ? "declined" : complete ? "complete" : isCurrent ? "pending" : "waiting"
            steps.append(StepStatus(step: step.name, state: stepState, require: step.require.description, slots: slots))
        }
        self.steps = steps
    }
}
