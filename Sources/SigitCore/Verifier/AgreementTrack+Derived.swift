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

        /// the last event that began the current revision or round (a draft, a send, or a join marker that put the
        /// agreement back in draft): what a merge compares to tell which side's round is newer.
        var epoch: RecordedEvent?
        /// the commit at which the agreement became completed: the completing approval's, or a merge where fills
        /// counted on different sides complete it together.
        var completedAt: ObjectID?

        /// The first step whose quorum is not met.
        func currentStep(_ workflow: [Step]) -> Step? {
            workflow.first { (fills[$0.name]?.count ?? 0) < $0.needed }
        }

        /// Ends the current round's fills, delegations and notices (a draft, a send or a join marker).
        private mutating func closeRound() {
            stale += fills.values.flatMap { $0.map(\.event) }
            fills = [:]
            delegations = [:]
            notices = [:]
            stepStarts = [:]
            declined = nil
            completed = nil
            completedAt = nil
        }

        /// Whether `event` belongs to the round that is open (or was last open): bound to its send at its own parents.
        private func inCurrentRound(_ event: RecordedEvent) -> Bool {
            guard let sent else { return false }
            return event.round == sent.eventID && event.digest == sent.digest
        }

        /// Replays `events` in order (spec section 4). Every event was judged valid against the state at its own
        /// parents; the replay only combines them. An event counts only for its own round; a void is final; steps
        /// fill in order; and a decline of the round ends it even after a completion that reached this state
        /// through a merge (a recipient's refusal is never hidden by a parallel quorum).
        mutating func replay(_ events: [RecordedEvent], workflow: [Step], specIsValid: Bool) {
            var sentSinceDraft = false
            for event in events {
                if phase == .voided, event.kind != .approve {
                    // Nothing changes a voided agreement (events after a void can only come in through a merge; an
                    // approval made in parallel to the void still joins the round's fills, below). A merge of two
                    // sides that each began their own round leaves no round current, voided or not.
                    // A newer revision or round from the other side, or two parallel ones, leave none of the older
                    // round's fills counting; the agreement stays voided.
                    if event.kind == .decline { stale.append(event) }
                    if [.draft, .send, .rejoin].contains(event.kind) {
                        closeRound()
                        sent = event.kind == .send ? event : nil
                        epoch = event
                    }
                    continue
                }
                switch event.kind {
                case .draft:
                    if created == nil { created = event }
                    if sentSinceDraft || phase != .draft { authors = [] }
                    authors.insert(event.identity)
                    closeRound()
                    sent = nil
                    epoch = event
                    sentSinceDraft = false
                    phase = .draft
                case .rejoin:
                    authors = Set(event.text.split(separator: "\n").map(String.init))
                    closeRound()
                    sent = nil
                    epoch = event
                    sentSinceDraft = false
                    phase = .draft
                case .send:
                    closeRound()
                    sent = event
                    epoch = event
                    stepStarts = workflow.first.map { [$0.name: event.time] } ?? [:]
                    sentSinceDraft = true
                    phase = .inProgress
                case .approve:
                    guard inCurrentRound(event), let stepName = event.step, let stepIndex = workflow.firstIndex(where: { $0.name == stepName }) else {
                        stale.append(event)
                        continue
                    }
                    // A recorded approval of this round after a decline or a void came in through a merge: it was
                    // made in parallel (one made after it, in its own history, was a violation). It joins the
                    // round's fills like any other; the round stays declined or voided.
                    guard phase == .inProgress || phase == .declined || phase == .voided else {
                        if phase == .completed { extra.append(event) } else { stale.append(event) }
                        continue
                    }
                    let step = workflow[stepIndex]
                    // Steps run in order: a fill of a later step counts only while every earlier one is complete
                    // (a merge may bring a later step's fill whose earlier step lost a fill in the join).
                    guard workflow[..<stepIndex].allSatisfy({ (fills[$0.name]?.count ?? 0) >= $0.needed }) else {
                        extra.append(event)
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
                    guard phase == .inProgress else { continue }
                    if let next = currentStep(workflow), stepStarts[next.name] == nil { stepStarts[next.name] = event.time }
                    if currentStep(workflow) == nil {
                        phase = .completed
                        completed = event
                        completedAt = event.commit
                    }
                case .decline:
                    if inCurrentRound(event), phase == .inProgress || phase == .completed {
                        phase = .declined
                        declined = event
                        completed = nil
                        completedAt = nil
                    } else {
                        stale.append(event)
                    }
                case .void:
                    phase = .voided
                    voided = event
                case .delegate:
                    // Replayed with the rules of judgeDelegate that a merge can break: once per recipient and step, one
                    // delegation per delegate, no delegation by a delegate (the earlier event wins).
                    guard phase == .inProgress, inCurrentRound(event), let stepName = event.step, let to = event.delegate else { continue }
                    let live = delegations[stepName] ?? [:]
                    guard live[event.identity] == nil, !live.values.contains(where: { $0.delegate == to || $0.delegate == event.identity }) else { continue }
                    delegations[stepName, default: [:]][event.identity] = event
                case .notify:
                    if let key = event.notice, event.round == sent?.eventID { notices[key, default: 0] += 1 }
                case .joinCompleted:
                    if phase == .completed { completedAt = event.commit }
                case .comment:
                    // A comment decides nothing: it is kept for its thread and never moves the state.
                    continue
                }
            }
            if !specIsValid, phase != .voided { phase = .invalid }
        }
    }
}
