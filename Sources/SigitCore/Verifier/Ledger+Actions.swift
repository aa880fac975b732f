import Foundation
import GitKit

extension Ledger {
    /// Send, approve, decline, void, notify, delegate and policy-approve: the actions that keep the tree (spec section 4).
    func judgeAction(_ action: Action, _ c: CommitRecord, trailers: EventTrailers, signer: Identity, state: inout RepositoryState, order: Int) throws {
        guard let policy = state.policy else { return }
        if action == .policyApprove {
            judgePolicyApprove(c, trailers: trailers, signer: signer, state: &state)
            return
        }
        guard let id = trailers.agreement else { return }
        guard var track = state.agreements[id], track.treeID != nil else {
            report(c.id, .unknownAgreement, "\(action.rawValue) names agreement \(id), which does not exist at this commit")
            return
        }
        let phase = track.phase(at: c.time)
        func event(_ kind: RecordedEvent.Kind) -> RecordedEvent {
            RecordedEvent(order: order, commit: c.id, kind: kind, identity: signer.id, time: c.time, digest: trailers.digest ?? track.digest, step: trailers.step, text: c.body)
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
            track.record(event(action == .approve ? .approve : .decline), slot: slot)
        case .void:
            guard track.sent?.identity == signer.id || track.created?.identity == signer.id || policy.allows(.void, signer.id) else {
                report(c.id, .permission, "\(signer.id) voided agreement \(id) without the void permission and is not its sender")
                return
            }
            guard !phase.isTerminal else {
                report(c.id, .terminal, "agreement \(id) is already \(phase.rawValue)")
                return
            }
            track.record(event(.void))
        case .notify:
            guard policy.allows(.notify, signer.id) else {
                report(c.id, .permission, "\(signer.id) recorded a notification without the notify permission")
                return
            }
            track.record(event(.notify))
        case .delegate:
            report(c.id, .unsupported, "delegation is not supported by this version of sigit; the delegate event does not count")
            return
        default:
            return
        }
        state.agreements[id] = track
    }

    /// The rules for approve and decline; returns the slot the signer fills.
    func judgeRecipient(_ action: Action, _ c: CommitRecord, trailers: EventTrailers, signer: Identity, track: AgreementTrack, policy: Policy, phase: AgreementPhase) -> Int? {
        let id = track.id
        let verb = action.rawValue
        if phase == .expired {
            report(c.id, .expired, "\(verb) of \(id) at \(RFC3339.format(c.time)) comes after the deadline \(track.deadline.map(RFC3339.format) ?? "")")
            return nil
        }
        guard phase == .inProgress else {
            report(c.id, .notInProgress, "\(verb) of \(id) while it is \(phase.rawValue); only an agreement in progress can be approved or declined")
            return nil
        }
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
        let fills = track.fills[step.name] ?? []
        if fills.contains(where: { $0.event.identity == signer.id }) {
            report(c.id, .notRecipient, "\(signer.id) already filled a slot of step \(step.name) of \(id); one identity fills at most one slot")
            return nil
        }
        let taken = Set(fills.map(\.slot))
        let candidates = step.approvers.indices.filter { !taken.contains($0) && step.approvers[$0].admits(signer.id, in: policy) }
        let direct = candidates.first { step.approvers[$0] == .identity(signer.id) }
        guard let slot = direct ?? candidates.first else {
            report(c.id, .notRecipient, "\(signer.id) is not a recipient with an open slot in step \(step.name) of \(id)")
            return nil
        }
        if step.humansOnly, !signer.kind.isHuman {
            report(c.id, .humansOnly, "\(signer.id) is a \(signer.kind.rawValue) identity and step \(step.name) of \(id) needs a human")
            return nil
        }
        if !step.allowAuthor, track.authors.contains(signer.id) {
            report(c.id, .separationOfDuties, "\(signer.id) made the current revision of \(id) and may not fill a slot of step \(step.name) (allow-author is false)")
            return nil
        }
        return slot
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
        pending.approvers.insert(signer.id)
        if pending.approvers.count >= policy.threshold {
            state.policy = pending.policy
            state.policyDigest = pending.digest
            state.policyCommit = c.id
            state.pending = [:]
        } else {
            state.pending[digest] = pending
        }
    }
}
