import Foundation
import GitKit
@testable import SigitCore
import SSHSig

extension ReferenceModel {
    /// The actions that keep the tree (spec 4); true when the event counts.
    func judgeAction(_ action: Action, _ f: ModelFacts, tree: ModelTree, trailers t: EventTrailers, signer: Identity, state s: inout ModelState) throws -> Bool {
        guard let policy = s.policy else { return false }
        let id = f.id
        if action == .policyApprove {
            guard policy.allows(.admin, signer.id) else {
                report(id, "admin-only", "policy-approve by a non-admin")
                return false
            }
            guard let digest = t.policyDigest, var pending = s.pending[digest] else {
                report(id, "malformed-event", "no such pending policy")
                return false
            }
            guard pending.approvers.insert(signer.id).inserted else {
                report(id, "malformed-event", "\(signer.id) already approved")
                return false
            }
            if let key = f.signature.key { pending.events[f.eventID] = ModelSignedEvent(commit: id, keyBlob: key.blob) }
            if pending.approvers.count >= policy.threshold {
                s.signedEvents.merge(pending.events) { a, _ in a }
                ratify(&s, policy: pending.policy, digest: digest, at: id, time: Date(timeIntervalSince1970: TimeInterval(f.time)))
            } else {
                s.pending[digest] = pending
            }
            return true
        }
        if action == .notify {
            // Every notice counts or none: each agreement exists, the signer may notify, each recipient is known.
            for notice in t.notices where s.agreements[notice.agreement] == nil {
                report(id, "unknown-agreement", "no such agreement")
                return false
            }
            guard policy.allows(.notify, signer.id) else {
                report(id, "permission", "notify without permission")
                return false
            }
            for notice in t.notices where policy.identities[notice.recipient] == nil {
                report(id, "malformed-event", "notify names an unknown recipient")
                return false
            }
            return true
        }
        guard let name = t.agreement, var a = s.agreements[name] else {
            report(id, "unknown-agreement", "no such agreement")
            return false
        }
        let treeDigest = try digest(name, in: tree)
        switch action {
        case .send:
            guard policy.allows(.draft, signer.id) else {
                report(id, "permission", "send without draft permission")
                return false
            }
            guard let spec = a.spec, spec.problems(with: policy, file: "agreements/\(name)/agreement.yml") == nil else {
                report(id, "agreement-invalid", "cannot send an invalid agreement")
                return false
            }
            guard a.phase == .draft || a.phase == .declined else {
                report(id, "send-state", "only a draft can be sent")
                return false
            }
            guard t.digest == a.digest, treeDigest == a.digest else {
                report(id, "digest-mismatch", "send names another digest")
                return false
            }
            a.phase = .inProgress
            a.epoch = ModelAgreement.Epoch(event: f.eventID, commit: id)
            a.sendDigest = a.digest
            a.sender = signer.id
            a.fills = [:]
            a.delegations = [:]
            a.declinedBy = nil
        case .approve, .decline:
            guard let (step, slot, principal) = judgeRecipient(action, f, trailers: t, signer: signer, agreement: a, treeDigest: treeDigest, policy: policy) else { return false }
            if action == .decline {
                a.phase = .declined
                a.declinedBy = f.signature.key?.blob
                a.declinedEvent = f.eventID
            } else {
                a.fills[step.name, default: []].append(ModelAgreement.Fill(slot: slot, identity: signer.id, onBehalfOf: principal == signer.id ? nil : principal,
                                                                         keyBlob: f.signature.key?.blob ?? Data(), event: f.eventID))
                if a.currentStep == nil {
                    a.phase = .completed
                    a.completedAt = id
                }
            }
        case .void:
            // Spec 3/4: `void` needs the void permission or being the agreement's sender.
            guard a.sender == signer.id || policy.allows(.void, signer.id) else {
                report(id, "permission", "void without permission")
                return false
            }
            guard a.phase != .completed, a.phase != .voided else {
                report(id, "terminal", "already \(a.phase.rawValue)")
                return false
            }
            a.phase = .voided
        case .delegate:
            guard judgeDelegate(f, trailers: t, signer: signer, agreement: a, policy: policy) else { return false }
            if let step = t.step, let to = t.delegate {
                a.delegations[step, default: [:]][signer.id] = ModelAgreement.Delegation(delegate: to, keyBlob: f.signature.key?.blob ?? Data(), event: f.eventID)
            }
        case .comment:
            // Decides nothing (FORMAT.md, *Comments*): only who may comment, on what, at which digest.
            let slots = a.spec.map { $0.workflow.flatMap(\.approvers) + $0.cc + ($0.escalation?.to ?? []) } ?? []
            let live = a.delegations.values.flatMap { $0.map { [$0.key, $0.value.delegate] } }.flatMap { $0 }
            let named = slots.contains { $0.admits(signer.id, in: policy) } || a.creator == signer.id || a.authors.contains(signer.id)
                || a.sender == signer.id || live.contains(signer.id)
            guard named || policy.allows(.draft, signer.id) else {
                report(id, "permission", "comment by \(signer.id), whom \(name) does not name, without draft")
                return false
            }
            guard a.spec != nil else {
                report(id, "agreement-invalid", "comment on an invalid agreement")
                return false
            }
            guard t.digest == a.digest else {
                report(id, "digest-mismatch", "comment names another digest")
                return false
            }
            guard t.file == nil, t.replyTo == nil, t.resolve == nil else {
                report(id, "comment", "the model writes no anchored comments")
                return false
            }
            return true
        default:
            return false
        }
        s.agreements[name] = a
        return true
    }

    /// Approve and decline (spec 4): the step, slot and principal, or nil with a violation.
    func judgeRecipient(_ action: Action, _ f: ModelFacts, trailers t: EventTrailers, signer: Identity, agreement a: ModelAgreement,
                        treeDigest: String?, policy: Policy) -> (Step, Int, String)? {
        let id = f.id
        guard a.phase == .inProgress else {
            report(id, "not-in-progress", "\(a.id) is \(a.phase.rawValue)")
            return nil
        }
        guard t.digest == treeDigest, t.digest == a.sendDigest, a.sendDigest == a.digest else {
            report(id, "digest-mismatch", "bound to another digest")
            return nil
        }
        guard let step = a.workflow.first(where: { $0.name == t.step }) else {
            report(id, "out-of-order", "no such step")
            return nil
        }
        guard a.currentStep?.name == step.name else {
            report(id, "out-of-order", "not the current step")
            return nil
        }
        let principal: String
        if let behalf = t.onBehalfOf {
            guard a.delegations[step.name]?[behalf]?.delegate == signer.id else {
                report(id, "delegation", "no live delegation from \(behalf)")
                return nil
            }
            principal = behalf
        } else {
            if a.delegations[step.name]?[signer.id] != nil {
                report(id, "delegation", "\(signer.id) delegated this step")
                return nil
            }
            principal = signer.id
        }
        let fills = a.fills[step.name] ?? []
        let acting: Set<String> = [signer.id, principal]
        if fills.contains(where: { !acting.isDisjoint(with: [$0.identity, $0.onBehalfOf].compactMap { $0 }) }) {
            report(id, "not-recipient", "already filled a slot of this step")
            return nil
        }
        let taken = Set(fills.map(\.slot))
        let open = step.approvers.indices.filter { !taken.contains($0) && step.approvers[$0].admits(principal, in: policy) }
        guard let slot = open.first(where: { step.approvers[$0] == .identity(principal) }) ?? open.first else {
            report(id, "not-recipient", "\(principal) has no open slot")
            return nil
        }
        if step.humansOnly, !signer.kind.isHuman {
            report(id, "humans-only", "a human is needed")
            return nil
        }
        if !step.allowAuthor, a.authors.contains(signer.id) || a.authors.contains(principal) {
            report(id, "allow-author", "the author may not fill this step")
            return nil
        }
        // Spec 7: the signature must meet the step's assurance (the cast's Ed25519 keys meet none; erin's passkey may).
        if let lack = Self.assuranceLack(step.assurance, f) {
            report(id, "assurance", lack)
            return nil
        }
        return (step, slot, principal)
    }

    /// Spec 7: what a signature lacks of `assurance`: `hardware` needs an `sk-*` key, `user-presence` flag 0x01 and
    /// `user-verification` flag 0x04 in the signed flags (a software key's signature has none).
    static func assuranceLack(_ assurance: Assurance, _ f: ModelFacts) -> String? {
        let flags = f.details?.flags ?? 0
        if assurance.hardware, f.signature.key?.algorithm.hasPrefix("sk-") != true { return "not a hardware key" }
        if assurance.userPresence, flags & 0x01 == 0 { return "no user presence" }
        if assurance.userVerification, flags & 0x04 == 0 { return "no user verification" }
        return nil
    }

    /// Delegate (spec 4): once per recipient and step, only where allowed, never to a non-human on a humans-only
    /// step, never by a delegate; the delegator must be someone who could fill an open slot, the delegate someone
    /// who is not already a recipient or delegate of the step.
    func judgeDelegate(_ f: ModelFacts, trailers t: EventTrailers, signer: Identity, agreement a: ModelAgreement, policy: Policy) -> Bool {
        let id = f.id
        guard a.phase == .inProgress else {
            report(id, "not-in-progress", "delegate while \(a.phase.rawValue)")
            return false
        }
        guard let step = a.workflow.first(where: { $0.name == t.step }) else {
            report(id, "out-of-order", "no such step")
            return false
        }
        guard let to = t.delegate, let delegate = policy.identities[to] else {
            report(id, "delegation", "unknown delegate")
            return false
        }
        guard step.delegation else {
            report(id, "delegation", "delegation not allowed")
            return false
        }
        let fills = a.fills[step.name] ?? []
        let live = a.delegations[step.name] ?? [:]
        guard fills.count < step.needed else {
            report(id, "delegation", "step complete")
            return false
        }
        if live.values.contains(where: { $0.delegate == signer.id }) || live[signer.id] != nil {
            report(id, "delegation", "a delegate cannot delegate; a recipient delegates once")
            return false
        }
        if fills.contains(where: { $0.identity == signer.id || $0.onBehalfOf == signer.id }) {
            report(id, "delegation", "already filled")
            return false
        }
        let taken = Set(fills.map(\.slot))
        guard step.approvers.indices.contains(where: { !taken.contains($0) && step.approvers[$0].admits(signer.id, in: policy) }) else {
            report(id, "not-recipient", "nothing to delegate")
            return false
        }
        if step.humansOnly, !signer.kind.isHuman || !delegate.kind.isHuman {
            report(id, "humans-only", "humans only")
            return false
        }
        if !step.allowAuthor, a.authors.contains(signer.id) {
            report(id, "allow-author", "the author cannot delegate")
            return false
        }
        if to == signer.id || step.approvers.contains(where: { $0.admits(to, in: policy) }) || live.values.contains(where: { $0.delegate == to }) {
            report(id, "delegation", "the delegate is already a recipient or delegate")
            return false
        }
        // Spec 7 (FORMAT.md's choice): a delegate event needs the step's assurance too; the cast has software keys only.
        if let lack = Self.assuranceLack(step.assurance, f) {
            report(id, "assurance", lack)
            return false
        }
        return true
    }
}
