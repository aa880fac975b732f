import Foundation
import GitKit

extension AgreementTrack {
    /// The state an agreement's events derive (see `AgreementTrack`'s accessors of the same names).
    struct Derived: Sendable {
        /// draft, in progress, completed, declined, voided, invalid (expiry is judged with a time).
        var phase: AgreementPhase = .draft
        /// the send that opened the current round.
        var sent: RecordedEvent?
        /// identities that made the current revision.
        var authors: Set<String> = []
        /// the first draft event.
        var created: RecordedEvent?
        /// fills per step name in the current round.
        var fills: [String: [SlotFill]] = [:]
        /// approvals of an earlier digest or round, which no longer count.
        var stale: [RecordedEvent] = []
        /// approvals that found no free slot (a quorum met on another branch).
        var extra: [RecordedEvent] = []
        /// the decline that ended the round.
        var declined: RecordedEvent?
        /// the void.
        var voided: RecordedEvent?
        /// the approval that completed the agreement.
        var completed: RecordedEvent?
        /// live delegations of the current round, by step name, then by the delegating recipient.
        var delegations: [String: [String: RecordedEvent]] = [:]
        /// notices recorded in the current round, with how many times each was sent.
        var notices: [NoticeKey: Int] = [:]
        /// when each step of the current round became the current step.
        var stepStarts: [String: Date] = [:]

        /// The first step whose quorum is not met.
        func currentStep(_ workflow: [Step]) -> Step? {
            workflow.first { (fills[$0.name]?.count ?? 0) < $0.needed }
        }

        /// Replays `events` in order (spec section 4).
        mutating func replay(_ events: [RecordedEvent], workflow: [Step], specIsValid: Bool, digest: String) {
            var sentSinceDraft = false
            for event in events {
                switch event.kind {
                case .draft:
                    if created == nil { created = event }
                    if sentSinceDraft || phase != .draft { authors = [] }
                    authors.insert(event.identity)
                    stale += fills.values.flatMap { $0.map(\.event) }
                    fills = [:]
                    delegations = [:]
                    notices = [:]
                    stepStarts = [:]
                    sent = nil
                    declined = nil
                    sentSinceDraft = false
                    phase = .draft
                case .send:
                    stale += fills.values.flatMap { $0.map(\.event) }
                    fills = [:]
                    delegations = [:]
                    notices = [:]
                    declined = nil
                    sent = event
                    stepStarts = workflow.first.map { [$0.name: event.time] } ?? [:]
                    sentSinceDraft = true
                    phase = .inProgress
                case .approve:
                    guard phase == .inProgress, event.digest == sent?.digest, let stepName = event.step,
                          let step = workflow.first(where: { $0.name == stepName }) else {
                        stale.append(event)
                        continue
                    }
                    var stepFills = fills[stepName] ?? []
                    let slot = event.slot ?? -1
                    // An approval for someone else counts only while the delegation it rests on still counts.
                    if let behalf = event.onBehalfOf, delegations[stepName]?[behalf]?.delegate != event.identity {
                        stale.append(event)
                        continue
                    }
                    let acting = Set([event.identity, event.onBehalfOf].compactMap { $0 })
                    if stepFills.count >= step.needed || slot < 0 || stepFills.contains(where: { fill in
                        fill.slot == slot || !acting.isDisjoint(with: [fill.event.identity, fill.event.onBehalfOf].compactMap { $0 })
                    }) {
                        extra.append(event)
                        continue
                    }
                    stepFills.append(SlotFill(slot: slot, event: event))
                    fills[stepName] = stepFills
                    if let next = currentStep(workflow), stepStarts[next.name] == nil { stepStarts[next.name] = event.time }
                    if currentStep(workflow) == nil {
                        phase = .completed
                        completed = event
                    }
                case .decline:
                    if phase == .inProgress, event.digest == sent?.digest {
                        phase = .declined
                        declined = event
                    } else {
                        stale.append(event)
                    }
                case .void:
                    phase = .voided
                    voided = event
                case .delegate:
                    // Replayed with the rules of judgeDelegate that a merge can break: once per recipient and step, one
                    // delegation per delegate, no delegation by a delegate (the earlier event in walk order wins).
                    guard phase == .inProgress, let stepName = event.step, let to = event.delegate else { continue }
                    let live = delegations[stepName] ?? [:]
                    guard live[event.identity] == nil, !live.values.contains(where: { $0.delegate == to || $0.delegate == event.identity }) else { continue }
                    delegations[stepName, default: [:]][event.identity] = event
                case .notify:
                    if let key = event.notice { notices[key, default: 0] += 1 }
                }
            }
            if !specIsValid, phase != .voided { phase = .invalid }
            if phase == .inProgress || phase == .declined, sent?.digest != digest {
                // The content changed without a valid draft (a clean merge of two revisions, or a violation): back to draft.
                stale += fills.values.flatMap { $0.map(\.event) }
                fills = [:]
                phase = .draft
            }
        }
    }
}
