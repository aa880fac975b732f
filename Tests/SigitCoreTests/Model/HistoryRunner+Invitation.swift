import Crypto
import Foundation
import GitKit
@testable import SigitCore
import TestSupport

extension HistoryRunner {
    /// Whether the policy in force at `commit` has the invitee (then new agreements name erin).
    func namesInvitee(at commit: ObjectID) throws -> Bool {
        try model.state(at: commit).policy?.identities[ModelCast.invitee] != nil
    }

    /// The document the generator wrote for the policy in force in `s` (not a pending proposal).
    func document(inForce s: ModelState) -> PolicyDocument? {
        documents.sorted { $0.key < $1.key }.first { $0.value.digest == s.policyDigest }?.value
    }

    /// A single-use secret as `sigit invite` makes one: 32 bytes in unpadded base64url (43 characters).
    static func secret(_ n: Int) -> String {
        SoftwareAuthenticator.base64URL(Data(SHA256.hash(data: Data("model invitation \(n)".utf8))))
    }

    static func sha256Hex(_ text: String) -> String { ContentDigest.sha256Hex(Data(text.utf8)) }

    /// The index of the passkey erin holds in the policy of `s`, if erin enrolled one.
    func inviteePasskey(_ s: ModelState) -> Int? {
        guard let keys = s.policy?.identities[ModelCast.invitee]?.keys else { return nil }
        return writer.cast.authenticators.indices.first { index in keys.contains { $0.key.blob == writer.cast.authenticators[index].publicKeyBlob && !$0.revoked } }
    }

    /// Writes a policy document as a signed commit on main.
    func writePolicy(_ doc: PolicyDocument, by who: String, _ subject: String, _ trailers: EventTrailers, note: String) throws {
        let blob = try repo.writeBlob(doc.data)
        documents[blob] = doc
        var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: blob, mode: 0o100644)]
        if let signers = doc.allowedSigners {
            updates.append(.upsert(path: ".sigit/allowed_signers", blob: try writer.blob(signers), mode: 0o100644))
        }
        let tree = try writer.tree(main, updates)
        main = try writer.commit(.identity(who), tree: tree, parents: [main], message: HistoryWriter.message(subject, trailers), note: note)
    }

    /// `sigit invite ag-n --name erin`: alice adds erin (no key) with an invitation for `id` (for its signatures step
    /// on an even pick), expiring in 7 days; an identity that has a key is not invited again: then (pick 3) alice
    /// removes erin's passkey first (`sigit policy`, a policy change of its own). Judged like any policy change: with
    /// threshold 2 it waits for a second admin's policy-approve.
    func invite(_ id: String, pick: Int, state s: ModelState) throws {
        let name = ModelCast.invitee
        guard let policy = s.policy, s.pending.isEmpty, var doc = document(inForce: s), doc.serial == policy.serial else { return }
        if let keys = policy.identities[name]?.keys, !keys.isEmpty {
            guard pick % 4 == 3, policy.threshold == 1 else { return }
            doc.identities[name] = []
            doc.serial += 1
            try writePolicy(doc, by: "alice", "policy: remove \(name)'s passkey", HistoryWriter.trailers(.policy, "alice"),
                            note: "main: policy serial \(doc.serial): remove \(name)'s passkey by alice")
            return
        }
        let secret = Self.secret(secrets.count + 1)
        let hash = Self.sha256Hex(secret)
        secrets[hash] = secret
        let step = pick % 2 == 0 ? "signatures" : nil
        doc.identities[name] = []
        doc.invitations[name] = PolicyDocument.Invite(agreement: id, step: step, expires: time + 7 * 86_400, secretSHA256: hash,
                                                      proofKey: try InvitationSecret.proofKey(secret))
        doc.serial += 1
        var t = HistoryWriter.trailers(.invite, "alice", id, step: step)
        t.invitee = name
        try writePolicy(doc, by: "alice", "invite \(name) to \(id)", t, note: "main: invite \(name) to \(id)\(step.map { " step \($0)" } ?? "") (serial \(doc.serial)) by alice")
    }

    /// An invite by alice that writes no unused invitation of Sigit-Invitee for Sigit-Agreement: 0 for another
    /// agreement, 1 marked enrolled already, 2 naming dave, who gets none; 3 as 0 with a draft of `id` in the same
    /// commit (FORMAT.md: such an invite counts nothing).
    func malformedInvite(_ id: String, variant: Int, pick: Int, state s: ModelState) throws {
        guard let policy = s.policy, s.pending.isEmpty, policy.threshold == 1, var doc = document(inForce: s), doc.serial == policy.serial else { return }
        var invitee = ModelCast.invitee
        let invite = PolicyDocument.Invite(agreement: variant == 0 || variant == 3 ? "ag-9" : id, step: nil, expires: time + 86_400,
                                           secretSHA256: Self.sha256Hex(Self.secret(2_000 + pick)), proofKey: try InvitationSecret.proofKey(Self.secret(2_000 + pick)),
                                           enrolled: variant == 1 ? time : nil)
        if variant == 2 {
            invitee = "dave"
            doc.roles["legal"] = (doc.roles["legal"] ?? []) + ["carol"]
        } else {
            if doc.identities[invitee] == nil { doc.identities[invitee] = [] }
            doc.invitations[invitee] = invite
        }
        doc.serial += 1
        let blob = try repo.writeBlob(doc.data)
        documents[blob] = doc
        var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: blob, mode: 0o100644)]
        if let signers = doc.allowedSigners {
            updates.append(.upsert(path: ".sigit/allowed_signers", blob: try writer.blob(signers), mode: 0o100644))
        }
        if variant == 3, s.agreements[id] != nil {
            revisions[id] = (revisions[id] ?? 0) + 1
            updates.append(.upsert(path: "agreements/\(id)/doc.md", blob: try writer.blob("# \(id)\n\nRevision \(revisions[id] ?? 0), with an invite.\n"), mode: 0o100644))
        }
        var t = HistoryWriter.trailers(.invite, "alice", id)
        t.invitee = invitee
        let tree = try writer.tree(main, updates)
        main = try writer.commit(.identity("alice"), tree: tree, parents: [main], message: HistoryWriter.message("invite \(invitee) to \(id) (malformed)", t),
                                 note: "main: invite \(invitee) to \(id) (malformed \(variant)) by alice")
    }

    /// What an enrollment commit is made of; the defaults make the valid one.
    struct Enrollment {
        var passkey: Int
        var signer: HistoryWriter.Signer?
        var secret: String?
        /// The proof made for another parent or passkey (a copy of another enrollment's proof).
        var proofParent: ObjectID?
        var proofPasskey: Int?
        /// Changes the policy written beyond the three differences (given the committer time).
        var edit: ((inout PolicyDocument, Int64) -> Void)?
        var extra: [TreeUpdate] = []
        /// A second parent: the enrollment is a merge.
        var mergeWith: ObjectID?
        var label = "enroll"
    }

    /// An enroll commit on `branch` by erin's new passkey (spec section 9): the policy in force with the serial + 1,
    /// the passkey appended to erin's keys and `enrolled` at the commit's time; proves the invitation's secret for
    /// this parent and passkey (`e.secret` another secret, `e.proofParent` another parent).
    func writeEnrollment(branch: Int, state s: ModelState, _ e: Enrollment) throws {
        let name = ModelCast.invitee
        guard let invitation = s.policy?.identities[name]?.invitation, var doc = document(inForce: s) else { return }
        let at = writer.time + writer.step
        doc.serial += 1
        doc.identities[name, default: []].append(PolicyDocument.Key(openSSH: writer.cast.authenticators[e.passkey].publicKeyLine))
        doc.invitations[name]?.enrolled = at
        e.edit?(&doc, at)
        let blob = try repo.writeBlob(doc.data)
        documents[blob] = doc
        var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: blob, mode: 0o100644)]
        if let signers = doc.allowedSigners {
            updates.append(.upsert(path: ".sigit/allowed_signers", blob: try writer.blob(signers), mode: 0o100644))
        }
        let parent = tip(branch)
        let tree = try writer.tree(parent, updates + e.extra)
        var t = HistoryWriter.trailers(.enroll, name, invitation.agreement)
        let secret = e.secret ?? secrets[invitation.secretSHA256] ?? Self.secret(0)
        t.invitationProof = try InvitationSecret.proof(secret, parent: (e.proofParent ?? parent).hex, identity: name,
                                                       passkey: writer.cast.authenticators[e.proofPasskey ?? e.passkey].publicKeyBlob)
        let signer = e.signer ?? .authenticator(e.passkey, flags: 0x05, webauthn: true)
        let id = try writer.commit(signer, tree: tree, parents: [parent] + (e.mergeWith.map { [$0] } ?? []),
                                   message: HistoryWriter.message("enroll \(name) for \(invitation.agreement)", t),
                                   note: "\(branch == 0 ? "main" : "clone\(branch)"): \(e.label) \(name) passkey \(e.passkey) (\(signer))")
        setTip(branch, id)
    }

    /// The first passkey of the cast that no identity of the policy holds and that never left it.
    func freshPasskey(_ s: ModelState, after: Int = 0) -> Int {
        let used = Set(s.policy?.identities.values.flatMap { $0.keys.map(\.key.blob) } ?? []).union(s.departures.keys)
        return (0..<ModelCast.passkeys).map { ($0 + after) % ModelCast.passkeys }.first { !used.contains(writer.cast.authenticators[$0].publicKeyBlob) } ?? after % ModelCast.passkeys
    }

    /// A valid enrollment, when erin has an unused, unexpired invitation (a random pick enrolls while a change is pending).
    func enroll(branch: Int, pick: Int, state s: ModelState) throws {
        guard let invitation = s.policy?.identities[ModelCast.invitee]?.invitation, invitation.enrolled == nil,
              Date(timeIntervalSince1970: TimeInterval(time + writer.step)) <= invitation.expires else { return }
        // One time in five the passkey's plain sk-ecdsa signature (no WebAuthn framing): the same key type, it counts.
        let passkey = freshPasskey(s, after: pick)
        try writeEnrollment(branch: branch, state: s, Enrollment(passkey: passkey, signer: .authenticator(passkey, flags: 0x05, webauthn: pick % 5 != 4)))
    }

    /// erin, enrolled, in a browser: approve (picks 0, 1 mod 4), decline (2) or comment (3) at the agreement of the
    /// invitation (its current step, counted digest), a comment when that step is not erin's; a random pick takes any
    /// agreement and any step.
    func actAsInvitee(_ a: Int, pick: Int, branch: Int, state s: ModelState) throws {
        guard let passkey = inviteePasskey(s), let invitation = s.policy?.identities[ModelCast.invitee]?.invitation else { return }
        let onClone = branch != 0
        let signer = HistoryWriter.Signer.authenticator(passkey, flags: 0x05, webauthn: true)
        let random = pick >= 100
        let kind = pick % 4
        let id: String
        if random {
            guard let any = Self.first(from: a, in: s, where: { _ in true }) else { return }
            id = any
        } else if pick % 10 == 9, let waiting = Self.first(from: a, in: s, where: { $0.phase == .inProgress && $0.currentStep?.approvers.contains(.identity(ModelCast.invitee)) == true }) {
            // An agreement that waits for erin, maybe not the invitation's (then out of scope).
            id = waiting
        } else {
            id = invitation.agreement
        }
        guard let ag = s.agreements[id] else { return }
        let who = ModelCast.invitee
        // Not erin's turn (the agreement does not wait for erin's slot): a comment instead, unless the pick is random.
        let turn = ag.phase == .inProgress && ag.currentStep?.approvers.contains(.identity(who)) == true
        if kind == 3 || (!random && !turn) {
            try keepSigned(branch, signer, "comment \(id)", HistoryWriter.trailers(.comment, who, id, digest: ag.digest))
            return
        }
        let decline = kind == 2
        if onClone && decline && !kinds.contains(.parallelRounds) { return }
        if !onClone && decline && !clones.isEmpty && !kinds.contains(.parallelTerminal) { return }
        let step: String
        if random {
            step = ag.workflow.isEmpty ? "review" : ag.workflow[pick % ag.workflow.count].name
        } else {
            guard ag.phase == .inProgress, let current = ag.currentStep else { return }
            if onClone && current.name == "review" && !kinds.contains(.parallelSlot) { return }
            step = current.name
        }
        let action: Action = decline ? .decline : .approve
        try keepSigned(branch, signer, "\(action.rawValue) \(id) step \(step)\(random ? " (random)" : "")",
                       HistoryWriter.trailers(action, who, id, digest: ag.sendDigest ?? ag.digest, step: step))
    }

    /// A commit keeping the tree, signed by `signer`.
    func keepSigned(_ branch: Int, _ signer: HistoryWriter.Signer, _ subject: String, _ trailers: EventTrailers) throws {
        let parent = tip(branch)
        let id = try writer.commit(signer, tree: try repo.commit(parent).tree, parents: [parent], message: HistoryWriter.message(subject, trailers),
                                   note: "\(branch == 0 ? "main" : "clone\(branch)"): \(ModelCast.invitee): \(subject) by \(ModelCast.invitee) (passkey)")
        setTip(branch, id)
    }

    /// The section 9 attacks, on main; each does nothing when the history has no invitation of erin yet.
    func invitationAttack(_ kind: MutationKind, _ id: String, pick: Int, state s: ModelState) throws {
        if kind == .inviteMalformed || kind == .inviteMalformedDraft {
            try malformedInvite(id, variant: kind == .inviteMalformedDraft ? 3 : pick % 3, pick: pick, state: s)
            return
        }
        guard let invitation = s.policy?.identities[ModelCast.invitee]?.invitation else { return }
        let fresh = freshPasskey(s, after: pick)
        switch kind {
        case .enrollWrongSecret:
            // The right secret's proof, but made for another passkey or another parent (a copy of someone's proof).
            if pick % 4 == 3 {
                let other = freshPasskey(s, after: pick + 1)
                let copied = other == fresh ? Enrollment(passkey: fresh, proofParent: try repo.commit(tip(0)).parents.first, label: "enroll (proof for another parent)")
                                            : Enrollment(passkey: fresh, proofPasskey: other, label: "enroll (proof for another passkey)")
                try writeEnrollment(branch: 0, state: s, copied)
                return
            }
            // A made-up secret, or (when erin was invited again) the link of the replaced invitation.
            let old = secrets.sorted { $0.key < $1.key }.first { $0.key != invitation.secretSHA256 }?.value
            try writeEnrollment(branch: 0, state: s, Enrollment(passkey: fresh, secret: pick % 2 == 0 ? old ?? Self.secret(1_000 + pick) : Self.secret(1_000 + pick),
                                                                label: "enroll (wrong secret)"))
        case .enrollExpired:
            // After `expires`; or (pick 0 mod 3) exactly at it, which is not before the committer time: it counts.
            let expires = Int64(invitation.expires.timeIntervalSince1970)
            let exact = pick % 3 == 0
            writer.time = max(writer.time, exact ? expires - writer.step : expires)
            try writeEnrollment(branch: 0, state: s, Enrollment(passkey: fresh, label: exact ? "enroll (at the expiry)" : "enroll (expired)"))
        case .enrollTwice:
            // A passkey that left the policy (erin's, removed before erin was invited again) never comes back.
            let departed = s.departures.keys.sorted { $0.base64EncodedString() < $1.base64EncodedString() }.compactMap { blob in
                writer.cast.authenticators.firstIndex { $0.publicKeyBlob == blob }
            }.first
            if invitation.enrolled == nil, pick % 3 == 2, let departed {
                try writeEnrollment(branch: 0, state: s, Enrollment(passkey: departed, label: "enroll (a passkey that left)"))
                return
            }
            var state = s
            if invitation.enrolled == nil {
                guard state.pending.isEmpty else { return }
                try writeEnrollment(branch: 0, state: state, Enrollment(passkey: fresh))
                state = try model.state(at: main)
            }
            // The same link again, by another passkey (or the enrolled one).
            try writeEnrollment(branch: 0, state: state, Enrollment(passkey: pick % 2 == 0 ? freshPasskey(state, after: pick + 1) : fresh, label: "enroll again"))
        case .enrollNonPasskey:
            let signer: HistoryWriter.Signer
            switch pick % 3 {
            case 0: signer = .identity("bob")
            case 1: signer = .authenticator(ModelCast.passkeys, flags: 0x05, webauthn: false)
            default: signer = .unsigned
            }
            try writeEnrollment(branch: 0, state: s, Enrollment(passkey: fresh, signer: signer, label: "enroll (not by the passkey)"))
        case .enrollExtra:
            var e = Enrollment(passkey: fresh, label: "enroll (and more)")
            switch pick % 5 {
            case 0: e.edit = { doc, _ in doc.roles["legal"] = (doc.roles["legal"] ?? []) + [ModelCast.invitee] }
            case 1: e.edit = { doc, at in doc.invitations[ModelCast.invitee]?.enrolled = at - 60 }
            case 2: e.edit = { doc, _ in doc.serial += 1 }
            case 3: e.edit = { doc, at in
                let keys = doc.identities[ModelCast.invitee] ?? []
                if !keys.isEmpty { doc.identities[ModelCast.invitee]?[keys.count - 1].validBefore = at + 86_400 }
            }
            default: e.extra = [.upsert(path: "agreements/\(id)/doc.md", blob: try writer.blob("# \(id)\n\nChanged by an enrollment.\n"), mode: 0o100644)]
            }
            try writeEnrollment(branch: 0, state: s, e)
        case .enrollNoPresence:
            try writeEnrollment(branch: 0, state: s, Enrollment(passkey: fresh, signer: .authenticator(fresh, flags: pick % 2 == 0 ? 0x04 : 0x00, webauthn: true),
                                                                label: "enroll (no user presence)"))
        case .enrollMerge:
            var t = HistoryWriter.trailers(.notify, "bot", id)
            t.recipient = "carol"
            t.notice = "reminder"
            t.channel = "smtp"
            guard s.agreements[id] != nil else { return }
            let side = try writer.commit(.identity("bot"), tree: try repo.commit(main).tree, parents: [main],
                                         message: HistoryWriter.message("notify \(id) carol", t), note: "side: notify \(id) carol by bot")
            try writeEnrollment(branch: 0, state: s, Enrollment(passkey: fresh, mergeWith: side, label: "enroll as a merge"))
        case .enrollParallel:
            // A clone enrolls one passkey, main another (or the same one a minute later); merged.
            let fork = main
            clones = [fork]
            try writeEnrollment(branch: 1, state: s, Enrollment(passkey: fresh, label: "enroll (on a clone)"))
            let clone = clones[0]
            clones = []
            try writeEnrollment(branch: 0, state: s, Enrollment(passkey: pick % 2 == 0 ? fresh : freshPasskey(s, after: fresh + 1), label: "enroll (on main)"))
            try mergeIntoMain(clone, signer: .unsigned, note: "merge the clone that enrolled too")
        case .inviteeScope:
            guard let passkey = inviteePasskey(s) else { return }
            let who = ModelCast.invitee
            let signer = HistoryWriter.Signer.authenticator(passkey, flags: 0x05, webauthn: true)
            let ag = s.agreements[id] ?? s.agreements[invitation.agreement]
            let target = ag?.id ?? invitation.agreement
            let digest = ag?.digest
            switch pick % 8 {
            case 0:
                // Approve of another agreement (at its current step), or of the invited one at a step it does not name.
                let from = Int(id.dropFirst(3)) ?? 0
                let other = Self.first(from: from, in: s, where: { $0.id != invitation.agreement && $0.phase == .inProgress && $0.currentStep?.approvers.contains(.identity(who)) == true })
                    ?? Self.first(from: from, in: s, where: { $0.id != invitation.agreement && $0.phase == .inProgress })
                if let other, let o = s.agreements[other] {
                    try keepSigned(0, signer, "(out of scope) approve \(other) step \(o.currentStep?.name ?? "signatures")",
                                   HistoryWriter.trailers(.approve, who, other, digest: o.digest, step: o.currentStep?.name ?? "signatures"))
                } else {
                    try keepSigned(0, signer, "(out of scope) approve \(invitation.agreement) step review",
                                   HistoryWriter.trailers(.approve, who, invitation.agreement, digest: s.agreements[invitation.agreement]?.digest, step: "review"))
                }
            case 1: try keepSigned(0, signer, "(out of scope) void \(target)", HistoryWriter.trailers(.void, who, target))
            case 2:
                var t = HistoryWriter.trailers(.notify, who, target)
                t.recipient = "bob"
                t.notice = "request"
                t.channel = "smtp"
                try keepSigned(0, signer, "(out of scope) notify \(target) bob", t)
            case 3:
                let tree = try writer.tree(main, [.upsert(path: "agreements/\(target)/doc.md", blob: try writer.blob("# \(target)\n\nRevised by erin.\n"), mode: 0o100644)])
                main = try writer.commit(signer, tree: tree, parents: [main], message: HistoryWriter.message("draft \(target) (out of scope)", HistoryWriter.trailers(.draft, who, target)),
                                         note: "main: draft \(target) (out of scope) by erin (passkey)")
            case 4: try keepSigned(0, signer, "(out of scope) send \(target)", HistoryWriter.trailers(.send, who, target, digest: digest))
            case 5:
                var t = HistoryWriter.trailers(.delegate, who, target, step: "signatures")
                t.delegate = "dave"
                try keepSigned(0, signer, "(out of scope) delegate \(target)", t)
            case 6:
                let other = Self.first(from: (Int(id.dropFirst(3)) ?? 0), in: s, where: { $0.id != invitation.agreement }) ?? "ag-9"
                try keepSigned(0, signer, "(out of scope) comment \(other)", HistoryWriter.trailers(.comment, who, other, digest: s.agreements[other]?.digest))
            default:
                // A policy change by erin: erin joins legal.
                guard var doc = document(inForce: s) else { return }
                doc.roles["legal"] = (doc.roles["legal"] ?? []) + [who]
                doc.serial += 1
                let blob = try repo.writeBlob(doc.data)
                documents[blob] = doc
                let tree = try writer.tree(main, [.upsert(path: Policy.path, blob: blob, mode: 0o100644)])
                main = try writer.commit(signer, tree: tree, parents: [main], message: HistoryWriter.message("policy (out of scope)", HistoryWriter.trailers(.policy, who)),
                                         note: "main: policy change (out of scope) by erin (passkey)")
            }
        default:
            return
        }
    }
}
