import Foundation
import GitKit
import SSHSig

extension Ledger {
    /// The key type a passkey enrolls with (spec section 9: a WebAuthn credential on P-256).
    static let passkeyAlgorithm = "sk-ecdsa-sha2-nistp256@openssh.com"

    /// An `enroll` event (spec section 9): signed by the new passkey, it proves it knows the secret of an unused,
    /// unexpired invitation of the policy in force (a signature by the invitation's proof key over its parent, the
    /// invitee and the passkey: the secret is never written, so no one can reuse it on a fork) and writes that policy back with exactly the passkey added to the invited
    /// identity, the invitation marked enrolled at the commit's time and the serial + 1. Ratified by the invitation
    /// (no admin signs it); anything else is an `enrollment` violation and changes nothing.
    func judgeEnrollment(_ c: CommitRecord, trailers: EventTrailers, state: inout RepositoryState, changes: ProtectedChanges, isMerge: Bool) throws {
        guard let current = state.policy else { return }
        let name = trailers.identity ?? ""
        let agreements = trailers.agreement.map { [$0] } ?? []
        func refuse(_ message: String, _ rule: Rule = .enrollment) {
            report(c.id, rule, message)
            log(c, action: Action.enroll.rawValue, identity: name, agreements: agreements, policy: current)
        }
        let key: SSHPublicKey
        switch c.signature {
        case .unsigned: return refuse("this enroll event is not signed", .unsigned)
        case .invalid(let reason):
            return refuse("this enroll event has a bad signature: \(reason)", reason == SignatureCheck.nonCanonicalArmor ? .signatureEncoding : .signature)
        case .good(let signer): key = signer
        }
        guard !isMerge else { return refuse("an enroll event is a commit with one parent, not a merge") }
        guard changes.policy, changes.agreements.isEmpty, changes.otherSigit.isEmpty, changes.timestamps.isEmpty, changes.strayAgreementPaths.isEmpty else {
            return refuse("an enroll event changes .sigit/policy.yml (and .sigit/allowed_signers) and nothing else")
        }
        guard let invitee = current.identities[name], let invitation = invitee.invitation else {
            return refuse("\(Name.quoted(name)) has no invitation in the policy in force (serial \(current.serial))")
        }
        if let used = invitation.enrolled {
            return refuse("the invitation of \(name) was used at \(RFC3339.format(used)); an invitation enrolls one passkey, once")
        }
        guard c.time <= invitation.expires else {
            return refuse("the invitation of \(name) expired at \(RFC3339.format(invitation.expires)); this enrollment is dated \(RFC3339.format(c.time))")
        }
        guard let proof = trailers.invitationProof, let parent = c.parents.first,
              InvitationSecret.verifyProof(proof, proofKey: invitation.proofKey, parent: parent.hex, identity: name, passkey: key.blob) else {
            return refuse("Sigit-Invitation-Proof is not a proof by the invitation of \(name) for this passkey on this parent (it proves the secret of the link without revealing it)")
        }
        guard trailers.agreement == invitation.agreement else {
            return refuse("the invitation of \(name) is for agreement \(invitation.agreement), not \(Name.quoted(trailers.agreement ?? ""))")
        }
        guard state.pending.isEmpty else {
            return refuse("a policy change is pending; an enrollment applies to the policy in force only, once nothing is pending")
        }
        guard key.algorithm == Self.passkeyAlgorithm else {
            return refuse("an enrollment is signed by the passkey it enrolls (\(Self.passkeyAlgorithm)); this one is signed by a \(key.algorithm) key")
        }
        guard c.signatureDetails?.userPresent == true else {
            return refuse("the passkey's signature does not show user presence (flag 0x01); an enrollment needs the person at the device")
        }
        if let owner = current.owner(of: key) {
            return refuse("the passkey \(key.fingerprint) already belongs to \(owner.identity.id)")
        }
        if let left = state.departures[key.blob] {
            return refuse("the passkey \(key.fingerprint) left the policy at \(short(left.commit)) and cannot come back")
        }
        guard let blob = try repo.treeEntry(c.tree, path: Policy.path), !blob.isTree else { return refuse("this enroll event removes .sigit/policy.yml") }
        let bytes = try repo.blob(blob.id)
        guard case .success(let proposed) = try policy(blob: blob.id) else { return refuse("the policy this enroll event writes does not parse") }
        var expected = current
        expected.serial += 1
        expected.identities[name]?.keys.append(PolicyKey(key: key))
        expected.identities[name]?.invitation?.enrolled = c.time
        guard proposed == expected else {
            return refuse("the policy an enrollment writes must be the policy in force with exactly this passkey added to \(name), the invitation marked enrolled at the commit's time (\(RFC3339.format(c.time))) and the serial \(current.serial + 1); this one differs")
        }
        if let allowed = try repo.treeEntry(c.tree, path: PolicyEditor.allowedSignersPath), !allowed.isTree,
           String(decoding: try repo.blob(allowed.id), as: UTF8.self) != proposed.allowedSigners() {
            report(c.id, .allowedSigners, ".sigit/allowed_signers does not agree with the policy the enrollment put in force; an admin runs sigit policy sync-signers to write it again", .warning)
        }
        log(c, action: Action.enroll.rawValue, identity: name, agreements: agreements, policy: proposed)
        let signed = Ratification.Signed(commit: c.id, keyBlob: key.blob, event: c.eventID)
        ratify(&state, PendingPolicy(policy: proposed, digest: ContentDigest.sha256Hex(bytes).withPrefix, commit: c.id, approvers: [name], signatures: [signed]),
               at: c.id, time: c.time)
    }

    /// Spec section 9: an invited identity's events count only as approve, decline or comment of the agreement it
    /// was invited for (approve and decline only at the invitation's step, when it names one), and change no file.
    /// Returns why an event of `signer` falls outside that, or nil.
    func invitationScopeProblem(_ signer: Identity, action: Action?, trailers: EventTrailers?, changes: ProtectedChanges) -> String? {
        guard let invitation = signer.invitation else { return nil }
        let what = action.map { "a \($0.rawValue) event" } ?? "a change of files"
        guard let action, [.approve, .decline, .comment].contains(action), changes.isEmpty else {
            return "\(signer.id) was invited to sign agreement \(invitation.agreement) in a browser; \(what) is not something an invitation lets it do"
        }
        guard trailers?.agreement == invitation.agreement else {
            return "\(signer.id) was invited for agreement \(invitation.agreement) only, not \(Name.quoted(trailers?.agreement ?? ""))"
        }
        if let step = invitation.step, action != .comment, trailers?.step != step {
            return "\(signer.id) was invited for step \(step) of \(invitation.agreement) only, not \(Name.quoted(trailers?.step ?? ""))"
        }
        return nil
    }
}
