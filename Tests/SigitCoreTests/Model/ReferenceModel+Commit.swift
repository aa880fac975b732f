import Foundation
import GitKit
@testable import SigitCore
import SSHSig
import Crypto

extension ReferenceModel {
    /// What a commit changed under the protected paths (against its parent, or against the clean merge).
    struct Changes {
        var policy = false
        var otherSigit: [String] = []
        var agreements: Set<String> = []
        var strays: [String] = []
        /// Paths under `.sigit/timestamps/` (section 8: only a timestamp event adds them).
        var timestamps: [String] = []
        /// Where tokens live (FORMAT.md section 8).
        static let timestampFolder = ".sigit/timestamps"
        var isEmpty: Bool { !policy && otherSigit.isEmpty && agreements.isEmpty && strays.isEmpty && timestamps.isEmpty }

        mutating func add(_ path: String) {
            if path == Policy.path { policy = true }
            else if path.hasPrefix(Self.timestampFolder + "/") { timestamps.append(path) }
            else if path.hasPrefix(".sigit/") || path == ".sigit" { otherSigit.append(path) }
            else if let id = ModelTree.agreement(of: path) { agreements.insert(id) }
            else { strays.append(path) }
        }
    }

    /// The state at commit `id`, its parents' states known.
    func compute(_ id: ObjectID) throws -> ModelState {
        let f = try fact(id)
        let parentStates = f.parents.compactMap { states[$0] }
        let tree = try self.tree(f.tree)
        let parentTrees = try f.parents.map { try self.tree(try fact($0).tree) }
        var s: ModelState
        var changes = Changes()
        if f.parents.count > 1 {
            s = try join(parentStates, merge: f)
            changes = try mergeChanges(f, tree: tree, parentTrees: parentTrees)
        } else {
            s = parentStates.first ?? ModelState()
            let before = parentTrees.first ?? ModelTree()
            for path in Set(tree.files.keys).union(before.files.keys) where tree.files[path] != before.files[path] { changes.add(path) }
            for path in Set(tree.hostile.keys).union(before.hostile.keys) where tree.hostile[path] != before.hostile[path] { changes.add(path) }
        }
        for path in tree.strays { changes.add(path) }
        try judge(f, tree: tree, changes: changes, state: &s)
        // Tampered: the tree's content of an agreement no longer matches its state.
        for key in s.agreements.keys.sorted() {
            guard var a = s.agreements[key] else { continue }
            let current = try digest(key, in: tree)
            if current != a.digest {
                if a.tamperedAt == nil { a.tamperedAt = id }
            } else {
                a.tamperedAt = nil
            }
            s.agreements[key] = a
        }
        return s
    }

    /// Judges commit `f` against `s` (the state at its parents, joined for a merge) and applies what counts.
    func judge(_ f: ModelFacts, tree: ModelTree, changes: Changes, state s: inout ModelState) throws {
        let id = f.id
        let time = Date(timeIntervalSince1970: TimeInterval(f.time))
        // Hostile objects this commit introduced: a violation; the agreements they sit in take no content change here.
        let parentTrees = try f.parents.map { try self.tree(try fact($0).tree) }
        var blocked = Set<String>()
        for (path, entry) in tree.hostile.sorted(by: { $0.key < $1.key }) where !parentTrees.contains(where: { $0.hostile[path] == entry }) {
            report(id, "malformed-object", "\(path) is not a regular file or is nested too deep")
            if let agreement = ModelTree.agreement(of: path) { blocked.insert(agreement) }
        }
        var changes = changes
        changes.agreements.subtract(blocked)

        let trailers: EventTrailers?
        switch f.trailers {
        case .failure(let problem):
            if s.policy != nil || changes.policy { report(id, "malformed-event", problem.description) }
            return
        case .success(let t): trailers = t
        }
        // Spec 2, "Reading the message as git does": a scissors or `---` line, or a continued Sigit trailer, is refused.
        if f.message.lowercased().contains("sigit-"), Self.gitReadsDifferently(f.message) {
            report(id, "malformed-event", "git and libgit2 could read this message differently")
            return
        }
        guard let policy = s.policy else {
            guard changes.policy || trailers?.action == .initialize else { return }
            try judgeRoot(f, tree: tree, trailers: trailers, state: &s)
            return
        }
        let isEvent = trailers != nil || !changes.isEmpty
        guard isEvent else { return }
        if s.counted[f.eventID] != nil {
            report(id, "replay", "this event was already counted")
            return
        }
        // Spec 9: an enrollment is signed by the key it adds, so it is judged by its invitation, not by the policy's keys.
        if let trailers, trailers.action == .enroll {
            if try judgeEnrollment(f, tree: tree, trailers: trailers, changes: changes, state: &s) { s.counted[f.eventID] = id }
            return
        }
        guard let signer = judgeSigner(f, trailers: trailers, policy: policy, state: s) else { return }
        let action = trailers?.action
        // Spec 9, scope: an invited identity's approve, decline and comment of its agreement (and step) count, nothing else.
        if let problem = Self.outsideInvitation(signer, action: action, trailers: trailers, changes: changes) {
            report(id, "invitation-scope", problem)
            return
        }
        if action == .initialize {
            report(id, "malformed-event", "init after the trust root")
            return
        }
        if action == .invite, !changes.policy {
            report(id, "malformed-event", "an invite that writes no policy")
            return
        }
        if let action, action.keepsTree, let first = f.parents.first, try fact(first).tree != f.tree {
            report(id, "tree-changed", "\(action.rawValue) changes files")
            return
        }
        // Section 8: only a timestamp event adds tokens, and it changes nothing else; nothing else it does counts.
        if action == .timestamp || !changes.timestamps.isEmpty {
            if action == .timestamp {
                try judgeTimestamp(f, tree: tree, signer: signer, changes: changes, state: &s)
            } else {
                report(id, "timestamp", "only a timestamp event changes \(Changes.timestampFolder)/")
            }
            return
        }
        var countedSomething = false
        // Policy change.
        var proposal: (Policy, String)?
        if changes.policy {
            var restores = false
            proposal = try judgePolicyChange(f, tree: tree, signer: signer, state: s, restores: &restores)
            // Spec 9: an invite must write an unused invitation of Sigit-Invitee for Sigit-Agreement.
            if action == .invite, let (p, _) = proposal {
                let invitation = trailers?.invitee.flatMap { p.identities[$0]?.invitation }
                if invitation == nil || invitation?.agreement != trailers?.agreement || invitation?.enrolled != nil {
                    report(id, "malformed-event", "the invite writes no unused invitation of its invitee for its agreement")
                    return  // counts nothing (FORMAT.md section 9)
                }
            }
            // An admin's change back to the policy in force withdraws every pending change.
            if restores {
                for digest in s.pending.keys { s.withdrawn[digest, default: []].insert(id) }
                s.pending = [:]
            }
        }
        if !changes.otherSigit.isEmpty, !policy.allows(.admin, signer.id) {
            report(id, "admin-only", "\(signer.id) changed \(changes.otherSigit.joined(separator: ", "))")
        }
        if !changes.strays.isEmpty { report(id, "agreement-invalid", "stray entries under agreements/") }
        // Drafts, one per agreement changed.
        for agreement in changes.agreements.sorted() {
            if try judgeDraft(f, id: agreement, tree: tree, signer: signer, policy: policy, state: &s) { countedSomething = true }
        }
        if let (p, digest) = proposal {
            countedSomething = true
            var pending = s.pending[digest] ?? ModelState.Pending(policy: p, approvers: [], commit: id)
            pending.approvers.insert(signer.id)
            if let key = f.signature.key { pending.events[f.eventID] = ModelSignedEvent(commit: id, keyBlob: key.blob) }
            if pending.approvers.count >= policy.threshold {
                s.signedEvents.merge(pending.events) { a, _ in a }
                ratify(&s, policy: p, digest: digest, at: id, time: time)
            } else {
                s.pending[digest] = pending
            }
        }
        if let action, action.keepsTree, let trailers {
            if try judgeAction(action, f, tree: tree, trailers: trailers, signer: signer, state: &s) { countedSomething = true }
        }
        if countedSomething {
            s.counted[f.eventID] = id
            // Section 8: an agreement event that counted is one a token may cover (a notice is not modelled).
            if let key = f.signature.key, action != .notify, action != .policyApprove,
               let agreement = changes.agreements.sorted().first ?? (action?.keepsTree == true ? trailers?.agreement : nil) {
                s.signedEvents[f.eventID] = ModelSignedEvent(commit: id, keyBlob: key.blob, agreement: agreement)
            }
        }
    }

    /// Spec 9, *Scope*: why an event of `signer`, an identity with an invitation (enrolled or not), counts for nothing:
    /// only an approve, decline or comment of the invitation's agreement that changes no protected file is in scope,
    /// and an approve or decline only at the invitation's step when it names one.
    static func outsideInvitation(_ signer: Identity, action: Action?, trailers: EventTrailers?, changes: Changes) -> String? {
        guard let invitation = signer.invitation else { return nil }
        guard let action, action == .approve || action == .decline || action == .comment else { return "\(signer.id) may only approve, decline or comment" }
        guard changes.isEmpty else { return "\(signer.id) may change no file" }
        guard trailers?.agreement == invitation.agreement else { return "\(signer.id) was invited for \(invitation.agreement) only" }
        if action != .comment, let step = invitation.step, trailers?.step != step { return "\(signer.id) was invited for step \(step) only" }
        return nil
    }

    /// Spec 9, *Enrollment*: every condition of FORMAT.md's list, read afresh; true when the enrollment counts (its
    /// policy is then in force, ratified by the invitation).
    func judgeEnrollment(_ f: ModelFacts, tree: ModelTree, trailers t: EventTrailers, changes: Changes, state s: inout ModelState) throws -> Bool {
        guard let current = s.policy else { return false }
        let id = f.id
        func refuse(_ why: String) -> Bool {
            report(id, "enrollment", why)
            return false
        }
        guard f.canonicalArmor else {
            report(id, "signature-encoding", "the signature is not in canonical armor")
            return false
        }
        let key: SSHPublicKey
        switch f.signature {
        case .unsigned:
            report(id, "unsigned", "not signed")
            return false
        case .invalid(let reason):
            report(id, "signature", reason)
            return false
        case .good(let k): key = k
        }
        // A good signature by a P-256 passkey, with the user-presence flag.
        guard key.algorithm == "sk-ecdsa-sha2-nistp256@openssh.com" else { return refuse("signed by a \(key.algorithm) key, not a passkey") }
        guard let flags = f.details?.flags, flags & 0x01 != 0 else { return refuse("no user presence") }
        // One parent; only the policy (and allowed_signers) changed.
        guard f.parents.count == 1 else { return refuse("a merge") }
        guard changes.policy, changes.agreements.isEmpty, changes.strays.isEmpty,
              changes.otherSigit.allSatisfy({ $0 == ".sigit/allowed_signers" }) else { return refuse("changes more than the policy") }
        // An unused, unexpired invitation of NAME for Sigit-Agreement whose proof-key signed the proof for this parent and passkey.
        let name = t.identity ?? ""
        guard let invitation = current.identities[name]?.invitation else { return refuse("\(name) has no invitation") }
        guard invitation.enrolled == nil else { return refuse("the invitation was used") }
        guard t.agreement == invitation.agreement else { return refuse("the invitation is for another agreement") }
        guard Date(timeIntervalSince1970: TimeInterval(f.time)) <= invitation.expires else { return refuse("the invitation expired") }
        guard let proof = t.invitationProof, Self.proofHolds(proof, key: invitation.proofKey, parent: f.parents[0].hex, name: name, passkey: key.blob) else {
            return refuse("the proof is not the invitation's for this parent and passkey")
        }
        guard s.pending.isEmpty else { return refuse("a policy change is pending") }
        // The passkey is new to the policy, and never left it.
        guard current.owner(of: key) == nil, s.departures[key.blob] == nil else { return refuse("the passkey is or was in the policy") }
        // Exactly three differences: serial + 1, the passkey appended to NAME's keys (no window, not revoked), enrolled.
        guard let entry = tree.files[Policy.path] else { return refuse("no policy") }
        let bytes = try repo.blob(entry.id)
        guard let proposed = try? Policy(yaml: bytes) else { return refuse("the policy does not parse") }
        var expected = current
        expected.serial += 1
        expected.identities[name]?.keys.append(PolicyKey(key: key))
        expected.identities[name]?.invitation?.enrolled = Date(timeIntervalSince1970: TimeInterval(f.time))
        guard proposed == expected else { return refuse("the policy differs by more than the enrollment") }
        s.signedEvents[f.eventID] = ModelSignedEvent(commit: id, keyBlob: key.blob)
        ratify(&s, policy: proposed, digest: "sha256:" + ContentDigest.sha256Hex(bytes), at: id, time: Date(timeIntervalSince1970: TimeInterval(f.time)))
        return true
    }

    /// FORMAT.md section 9, read on its own: an Ed25519 signature by `key` over "sigit enroll proof v1" and the parent id
    /// (hex), the identity and the passkey blob, each after its length as 4 big-endian bytes.
    static func proofHolds(_ proof: String, key: Data, parent: String, name: String, passkey: Data) -> Bool {
        var message = Array("sigit enroll proof v1".utf8)
        for field in [Array(parent.utf8), Array(name.utf8), Array(passkey)] {
            let n = UInt32(field.count)
            message += [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] + field
        }
        guard let signature = Data(base64Encoded: proof), let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else { return false }
        return publicKey.isValidSignature(signature, for: Data(message))
    }

    /// A scissors line, a `---` line, or a Sigit trailer continued on the next line.
    static func gitReadsDifferently(_ message: String) -> Bool {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("# ") && line.contains(">8") { return true }
            if line == "---" || line.hasPrefix("--- ") { return true }
            if index > 0, line.first == " " || line.first == "\t", lines[index - 1].lowercased().hasPrefix("sigit-") { return true }
        }
        return false
    }

    /// The trust root (spec 3).
    func judgeRoot(_ f: ModelFacts, tree: ModelTree, trailers: EventTrailers?, state s: inout ModelState) throws {
        guard let entry = tree.files[Policy.path] else {
            report(f.id, "trust-root", "init without a policy")
            return
        }
        let bytes = try repo.blob(entry.id)
        guard let policy = try? Policy(yaml: bytes) else {
            report(f.id, "policy-invalid", "the root's policy is invalid")
            return
        }
        s.root = f.id
        s.policy = policy
        // Section 8: the trust root is a ratified policy event a token may cover, when signed.
        if let key = f.signature.key { s.signedEvents[f.eventID] = ModelSignedEvent(commit: f.id, keyBlob: key.blob) }
        s.policyDigest = "sha256:" + ContentDigest.sha256Hex(bytes)
        if trailers?.action != .initialize { report(f.id, "trust-root", "not an init event") }
        guard f.canonicalArmor else {
            report(f.id, "signature-encoding", "non-canonical armor")
            return
        }
        guard let key = f.signature.key else {
            report(f.id, "trust-root", "the root is not signed or its signature is bad")
            return
        }
        guard let (identity, entry) = policy.owner(of: key), policy.allows(.admin, identity.id),
              !entry.revoked, entry.isValid(at: Date(timeIntervalSince1970: TimeInterval(f.time))) else {
            report(f.id, "trust-root", "the root is not signed by an admin of its own policy")
            return
        }
        if let claimed = trailers?.identity, claimed != identity.id { report(f.id, "identity-mismatch", "root identity") }
        s.counted[f.eventID] = f.id
    }

    /// Spec 3: the signer of an event, judged against the policy in force at its parents.
    func judgeSigner(_ f: ModelFacts, trailers: EventTrailers?, policy: Policy, state: ModelState) -> Identity? {
        guard f.canonicalArmor else {
            report(f.id, "signature-encoding", "the signature is not in canonical armor")
            return nil
        }
        let key: SSHPublicKey
        switch f.signature {
        case .unsigned:
            report(f.id, "unsigned", "not signed")
            return nil
        case .invalid(let reason):
            report(f.id, "signature", reason)
            return nil
        case .good(let k): key = k
        }
        guard let (identity, entry) = policy.owner(of: key) else {
            report(f.id, state.departures[key.blob] != nil ? "key-left" : "unknown-key", "key not in the policy in force")
            return nil
        }
        if entry.revoked || entry.compromisedSince != nil {
            report(f.id, "key-revoked", "revoked key (or compromised since a time: it signs nothing new)")
            return nil
        }
        if !entry.isValid(at: Date(timeIntervalSince1970: TimeInterval(f.time))) {
            report(f.id, "key-window", "outside the key's window")
            return nil
        }
        if state.departures[key.blob] != nil {
            report(f.id, "key-left", "the key left the policy")
            return nil
        }
        if let claimed = trailers?.identity, claimed != identity.id {
            report(f.id, "identity-mismatch", "Sigit-Identity \(claimed) is not \(identity.id)")
            return nil
        }
        return identity
    }

    /// A change of `.sigit/policy.yml` (spec 3): the proposal, when valid.
    func judgePolicyChange(_ f: ModelFacts, tree: ModelTree, signer: Identity, state s: ModelState, restores: inout Bool) throws -> (Policy, String)? {
        guard let current = s.policy else { return nil }
        guard current.allows(.admin, signer.id) else {
            report(f.id, "admin-only", "\(signer.id) changed the policy")
            return nil
        }
        guard let entry = tree.files[Policy.path] else {
            report(f.id, "policy-invalid", "policy removed")
            return nil
        }
        let bytes = try repo.blob(entry.id)
        let digest = "sha256:" + ContentDigest.sha256Hex(bytes)
        if digest == s.policyDigest {
            restores = true
            return nil
        }
        guard let proposed = try? Policy(yaml: bytes) else {
            report(f.id, "policy-invalid", "invalid policy")
            return nil
        }
        guard proposed.serial == current.serial + 1 else {
            report(f.id, "policy-serial", "serial \(current.serial) → \(proposed.serial)")
            return nil
        }
        return (proposed, digest)
    }

    /// A content change of agreement `id`, judged as a draft by `signer` (spec 2 and 4); true when it counts.
    func judgeDraft(_ f: ModelFacts, id: String, tree: ModelTree, signer: Identity, policy: Policy, state s: inout ModelState) throws -> Bool {
        let existing = s.agreements[id]
        if let existing, existing.phase == .completed || existing.phase == .voided {
            report(f.id, "terminal", "\(id) is \(existing.phase.rawValue)")
            return false
        }
        guard policy.allows(.draft, signer.id) else {
            report(f.id, "permission", "\(signer.id) may not draft")
            return false
        }
        guard let digest = try digest(id, in: tree) else {
            report(f.id, "agreement-invalid", "\(id) was removed or holds no file")
            return false
        }
        guard case .success(let spec) = try spec(id, in: tree), spec.problems(with: policy, file: "agreements/\(id)/agreement.yml") == nil else {
            report(f.id, "agreement-invalid", "\(id) has an invalid agreement.yml")
            return false
        }
        let epoch = ModelAgreement.Epoch(event: f.eventID, commit: f.id)
        if var a = existing {
            a.authors = a.phase == .draft ? a.authors.union([signer.id]) : [signer.id]
            a.phase = .draft
            a.digest = digest
            a.spec = spec
            a.epoch = epoch
            a.sendDigest = nil
            a.sender = nil
            a.fills = [:]
            a.delegations = [:]
            a.declinedBy = nil
            a.completedAt = nil
            s.agreements[id] = a
        } else {
            s.agreements[id] = ModelAgreement(id: id, digest: digest, spec: spec, epoch: epoch, creator: signer.id, authors: [signer.id])
        }
        return true
    }

    /// A policy comes into force at `commit` (spec 3): keys it removes, retires or revokes leave; a revoked key's
    /// events stop counting. Section 8: a key revoked as compromised since a time leaves too, and of its agreement
    /// events only those with a counted token from before that time keep counting; a later policy may move the
    /// time earlier or revoke it outright (more is dropped), never bring anything back.
    func ratify(_ s: inout ModelState, policy p: Policy, digest: String, at commit: ObjectID, time: Date) {
        if let old = s.policy {
            for identity in old.identities.values.sorted(by: { $0.id < $1.id }) {
                for entry in identity.keys {
                    let now = p.owner(of: entry.key)?.key
                    let revoked = now?.revoked == true && !entry.revoked
                    let retired = now.map { k in k.validBefore.map { $0 <= time } ?? false } ?? false
                    let since = now?.revoked == true ? nil : now?.compromisedSince
                    if let known = s.departures[entry.key.blob] {
                        if revoked && !known.revoked {
                            s.departures[entry.key.blob]?.revoked = true
                            s.departures[entry.key.blob]?.compromisedSince = nil
                            s.departures[entry.key.blob]?.compromisedAt = nil
                            dropEvents(&s, signedBy: entry.key.blob)
                        } else if !known.revoked, let since, since < (known.compromisedSince ?? .distantFuture) {
                            s.departures[entry.key.blob]?.compromisedSince = since
                            s.departures[entry.key.blob]?.compromisedAt = commit
                            dropEvents(&s, signedBy: entry.key.blob, compromisedSince: since)
                        }
                        continue
                    }
                    guard now == nil || revoked || retired || since != nil else { continue }
                    s.departures[entry.key.blob] = ModelState.Departure(commit: commit, revoked: revoked, compromisedSince: revoked ? nil : since,
                                                                        compromisedAt: revoked || since == nil ? nil : commit)
                    if revoked {
                        dropEvents(&s, signedBy: entry.key.blob)
                    } else if let since {
                        dropEvents(&s, signedBy: entry.key.blob, compromisedSince: since)
                    }
                }
            }
        }
        s.policy = p
        s.policyDigest = digest
        s.pending = [:]
        s.withdrawn = [:]
    }

    /// A revoked key's agreement events stop counting; for a key compromised since a time, those without a counted
    /// token from before it (section 8).
    func dropEvents(_ s: inout ModelState, signedBy blob: Data, compromisedSince since: Date? = nil) {
        let gone = Set(s.signedEvents.filter { event, signed in
            guard signed.agreement != nil, signed.keyBlob == blob else { return false }
            guard let since else { return true }
            return !((s.trustedTimes[event]?.genTime).map { $0 < since } ?? false)
        }.keys)
        removeEvents(&s, gone, keyBlob: blob, keepUnlisted: since != nil)
    }

    /// Removes agreement events: from what a token may cover, and their fills, delegations and declines. Fills the
    /// removal leaves without ground go too: a fill for someone whose delegation is gone, a fill of a step after one
    /// no longer complete (steps run in order). With `keepUnlisted`, an event of the key the model never listed
    /// (none is generated) stays.
    func removeEvents(_ s: inout ModelState, _ gone: Set<Data>, keyBlob blob: Data, keepUnlisted: Bool = false) {
        for event in gone { s.signedEvents[event] = nil }
        func drops(_ event: Data, _ key: Data) -> Bool { key == blob && (gone.contains(event) || (!keepUnlisted && event.isEmpty)) }
        for key in s.agreements.keys.sorted() {
            guard var a = s.agreements[key] else { continue }
            for step in a.delegations.keys { a.delegations[step] = a.delegations[step]?.filter { !drops($0.value.event, $0.value.keyBlob) } }
            a.delegations = a.delegations.filter { !$0.value.isEmpty }
            var complete = true
            for step in a.workflow {
                var list = (a.fills[step.name] ?? []).filter { !drops($0.event, $0.keyBlob) }
                list = list.filter { fill in fill.onBehalfOf.map { a.delegations[step.name]?[$0]?.delegate == fill.identity } ?? true }
                if !complete { list = [] }
                a.fills[step.name] = list
                if list.count < step.needed { complete = false }
            }
            a.fills = a.fills.filter { !$0.value.isEmpty }
            if a.phase == .declined, let by = a.declinedBy, drops(a.declinedEvent ?? Data(), by) {
                a.phase = .inProgress
                a.declinedBy = nil
                a.declinedEvent = nil
            }
            if a.phase == .completed, a.currentStep != nil {
                a.phase = .inProgress
                a.completedAt = nil
            }
            s.agreements[key] = a
        }
    }
}
