import Foundation
import GitKit

extension Ledger {
    /// Send, approve, decline, void, notify, delegate, comment and policy-approve: the actions that keep the tree (spec section 4).
    func judgeAction(_ action: Action, _ c: CommitRecord, trailers: EventTrailers, signer: Identity, state: inout RepositoryState, order: Int) throws {
        guard let policy = state.policy else { return }
        if action == .policyApprove {
            judgePolicyApprove(c, trailers: trailers, signer: signer, state: &state)
            return
        }
        if action == .notify {
            judgeNotify(c, trailers: trailers, signer: signer, policy: policy, state: &state, order: order)
            return
        }
        guard let id = trailers.agreement else { return }
        guard var track = state.agreements[id], track.treeID != nil else {
            report(c.id, .unknownAgreement, "\(action.rawValue) names agreement \(id), which does not exist at this commit")
            return
        }
        let phase = track.phase(at: c.time)
        if let tampered = track.tamperedAt, [.send, .approve, .decline].contains(action) {
            report(c.id, .digestMismatch, "the files of agreement \(id) were changed by a violation at \(short(tampered)) and are not the content its state counts; \(action.rawValue) cannot apply to them")
            return
        }
        func event(_ kind: RecordedEvent.Kind, slot: Int? = nil, notice: NoticeKey? = nil, comment: RecordedEvent.Comment? = nil) -> RecordedEvent {
            // The digest and key blob are the track's and the policy's own values when equal: shared, not held again.
            let digest = trailers.digest.map { $0 == track.digest ? track.digest : $0 } ?? track.digest
            // Bound to the round current at its parents (a send opens its own).
            let eventID = c.eventID ?? EventID(marker: "candidate", commit: c.id.hex)
            let round = kind == .send ? eventID : track.sent?.eventID
            return RecordedEvent(order: order, commit: c.id, eventID: eventID, round: round, kind: kind, identity: signer.id, time: c.time, digest: digest, step: trailers.step,
                                 text: c.body, keyBlob: sharedBlob(c.signature.key, of: signer), delegate: trailers.delegate,
                                 onBehalfOf: trailers.onBehalfOf, notice: notice, slot: slot, comment: comment)
        }
        switch action {
        case .send:
            guard policy.allows(.draft, signer.id) else {
                report(c.id, .permission, "\(signer.id) sent agreement \(id) without the draft permission")
                return
            }
            if case .failure(let error) = track.spec {
                report(c.id, .agreementInvalid, "agreement \(id) is invalid and cannot be sent: \(error)")
                return
            }
            if case .success(let spec) = track.spec, let problem = spec.problems(with: policy, file: "agreements/\(id)/agreement.yml") {
                report(c.id, .agreementInvalid, "agreement \(id) is invalid and cannot be sent: \(problem)")
                return
            }
            guard phase == .draft || phase == .declined || phase == .expired else {
                report(c.id, .sendState, "agreement \(id) is \(phase.rawValue); only a draft can be sent")
                return
            }
            guard trailers.digest == track.digest else {
                report(c.id, .digestMismatch, "send names digest \(trailers.digest ?? "none") but agreement \(id) has digest \(track.digest)")
                return
            }
            track.record(event(.send))
        case .approve, .decline:
            guard let slot = judgeRecipient(action, c, trailers: trailers, signer: signer, track: track, policy: policy, phase: phase) else { return }
            track.record(event(action == .approve ? .approve : .decline, slot: slot))
        case .void:
            // Spec section 4: `void` needs the void permission or being the agreement's sender.
            guard track.sent?.identity == signer.id || policy.allows(.void, signer.id) else {
                report(c.id, .permission, "\(signer.id) voided agreement \(id) without the void permission and is not its sender")
                return
            }
            guard !phase.isTerminal else {
                report(c.id, .terminal, "agreement \(id) is already \(phase.rawValue)")
                return
            }
            track.record(event(.void))
        case .delegate:
            guard judgeDelegate(c, trailers: trailers, signer: signer, track: track, policy: policy, phase: phase) else { return }
            track.record(event(.delegate))
        case .comment:
            guard let comment = try judgeComment(c, trailers: trailers, signer: signer, track: track, policy: policy) else { return }
            track.record(event(.comment, comment: comment))
        default:
            return
        }
        state.agreements[id] = track
    }

    /// The rules for approve and decline; returns the slot the signer fills.
    func judgeRecipient(_ action: Action, _ c: CommitRecord, trailers: EventTrailers, signer: Identity, track: AgreementTrack, policy: Policy, phase: AgreementPhase) -> Int? {
        let id = track.id
        let verb = action.rawValue
        guard judgeInProgress(verb, c, track: track, phase: phase) else { return nil }
        guard trailers.digest == track.digest, track.sent?.digest == track.digest else {
            report(c.id, .digestMismatch, "\(verb) of \(id) is bound to digest \(trailers.digest ?? "none") but the content has digest \(track.digest)")
            return nil
        }
        guard let stepName = trailers.step, let step = track.workflow.first(where: { $0.name == stepName }) else {
            report(c.id, .outOfOrder, "\(verb) of \(id) names step \(Name.quoted(trailers.step ?? "")), which the workflow does not have")
            return nil
        }
        guard let current = track.currentStep, current.name == step.name else {
            let now = track.currentStep?.name ?? "none"
            report(c.id, .outOfOrder, "\(verb) of \(id) for step \(step.name) while the current step is \(now); steps run in order")
            return nil
        }
        // Who may fill which slot: the one answer status, inbox and notify share (Eligibility).
        switch Eligibility(track: track, step: step, policy: policy).fill(by: signer, onBehalfOf: trailers.onBehalfOf) {
        case .success(let fill):
            guard judgeAssurance(verb, c, step: step, track: track) else { return nil }
            return fill.slot
        case .failure(let refusal):
            report(c.id, refusal.rule, refusal.message)
            return nil
        }
    }

    /// Approve, decline and delegate count only while the agreement is in progress and before its deadline.
    func judgeInProgress(_ verb: String, _ c: CommitRecord, track: AgreementTrack, phase: AgreementPhase) -> Bool {
        if phase == .expired {
            report(c.id, .expired, "\(verb) of \(track.id) at \(RFC3339.format(c.time)) comes after the deadline \(track.deadline.map(RFC3339.format) ?? "")")
            return false
        }
        guard phase == .inProgress else {
            report(c.id, .notInProgress, "\(verb) of \(track.id) while it is \(phase.rawValue); only an agreement in progress can be approved, declined or delegated")
            return false
        }
        return true
    }

    /// The rules for delegate (spec section 4); true when the delegation counts.
    func judgeDelegate(_ c: CommitRecord, trailers: EventTrailers, signer: Identity, track: AgreementTrack, policy: Policy, phase: AgreementPhase) -> Bool {
        let id = track.id
        guard judgeInProgress("delegate", c, track: track, phase: phase) else { return false }
        guard let stepName = trailers.step, let step = track.workflow.first(where: { $0.name == stepName }) else {
            report(c.id, .outOfOrder, "delegate of \(id) names step \(Name.quoted(trailers.step ?? "")), which the workflow does not have")
            return false
        }
        guard let to = trailers.delegate, let delegate = policy.identities[to] else {
            report(c.id, .delegation, "delegate of \(id) names \(Name.quoted(trailers.delegate ?? "")), which is not an identity of the policy in force")
            return false
        }
        guard step.delegation else {
            report(c.id, .delegation, "step \(step.name) of \(id) does not allow delegation (delegation: false)")
            return false
        }
        let fills = track.fills[step.name] ?? []
        guard fills.count < step.needed else {
            report(c.id, .delegation, "step \(step.name) of \(id) is already complete; there is nothing to delegate")
            return false
        }
        if track.delegation(of: step.name, heldBy: signer.id) != nil {
            report(c.id, .delegation, "\(signer.id) holds a delegation of step \(step.name) of \(id) and cannot delegate it again")
            return false
        }
        if let earlier = track.delegations[step.name]?[signer.id] {
            report(c.id, .delegation, "\(signer.id) already delegated step \(step.name) of \(id) to \(earlier.delegate ?? "?"); a recipient delegates a step once")
            return false
        }
        if fills.contains(where: { $0.event.identity == signer.id || $0.event.onBehalfOf == signer.id }) {
            report(c.id, .delegation, "\(signer.id) already filled a slot of step \(step.name) of \(id)")
            return false
        }
        let taken = Set(fills.map(\.slot))
        guard step.approvers.indices.contains(where: { !taken.contains($0) && step.approvers[$0].admits(signer.id, in: policy) }) else {
            report(c.id, .notRecipient, "\(signer.id) is not a recipient with an open slot in step \(step.name) of \(id), so it has nothing to delegate")
            return false
        }
        // Only someone who could fill the slot may hand it on: a service account cannot pass a humans-only step to a human.
        if step.humansOnly, !signer.kind.isHuman {
            report(c.id, .humansOnly, "\(signer.id) is a \(signer.kind.rawValue) identity and step \(step.name) of \(id) needs a human; it cannot delegate it either")
            return false
        }
        if !step.allowAuthor, track.authors.contains(signer.id) {
            report(c.id, .separationOfDuties, "\(signer.id) made the current revision of \(id) and may not fill step \(step.name), so it cannot delegate it either")
            return false
        }
        if to == signer.id || step.approvers.contains(where: { $0.admits(to, in: policy) }) || track.delegation(of: step.name, heldBy: to) != nil {
            report(c.id, .delegation, "\(to) is already a recipient or delegate of step \(step.name) of \(id); a delegate must be someone else")
            return false
        }
        if step.humansOnly, !delegate.kind.isHuman {
            report(c.id, .humansOnly, "\(to) is a \(delegate.kind.rawValue) identity and step \(step.name) of \(id) needs a human; it cannot receive a delegation")
            return false
        }
        // Handing a slot on is deciding who fills it: it needs the signature the slot itself needs.
        return judgeAssurance("delegate", c, step: step, track: track)
    }

    /// Spec section 7: an approve, decline or delegate counts only when its signature meets the step's `assurance`
    /// (a delegate acting for a slot included: the requirement is about the signature, not the person).
    func judgeAssurance(_ verb: String, _ c: CommitRecord, step: Step, track: AgreementTrack) -> Bool {
        let missing = step.assurance.shortfall(c.signatureDetails)
        guard !missing.isEmpty else { return true }
        let key = c.signature.key.map { "a \($0.isHardwareBacked ? "FIDO" : "software") key (\($0.algorithm))" } ?? "a key"
        report(c.id, .assurance, "\(verb) of \(track.id) for step \(step.name) is signed by \(key) whose signature lacks \(missing.joined(separator: ", ")); the step's assurance is \(step.assurance.text)")
        return false
    }

    /// A `policy-approve` by an admin of the policy in force counts toward ratifying a pending policy.
    func judgePolicyApprove(_ c: CommitRecord, trailers: EventTrailers, signer: Identity, state: inout RepositoryState) {
        guard let policy = state.policy, policy.allows(.admin, signer.id) else {
            report(c.id, .adminOnly, "\(signer.id) approved a policy change without being an admin")
            return
        }
        guard let digest = trailers.policyDigest, var pending = state.pending[digest] else {
            report(c.id, .malformedEvent, "policy-approve names digest \(trailers.policyDigest ?? "none"), which is not a pending policy change")
            return
        }
        guard !pending.approvers.contains(signer.id) else {
            report(c.id, .malformedEvent, "\(signer.id) already signed for the policy change \(digest); each admin counts once")
            return
        }
        pending.approvers.insert(signer.id)
        if let key = c.signature.key { pending.signatures.append(Ratification.Signed(commit: c.id, keyBlob: key.blob, event: c.eventID)) }
        if pending.approvers.count >= policy.threshold {
            ratify(&state, pending, at: c.id, time: c.time)
        } else {
            state.pending[digest] = pending
        }
    }
}
