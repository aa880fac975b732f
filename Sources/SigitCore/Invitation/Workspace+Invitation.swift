import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// The signing page of the invitation whose secret is `secret`, read at the branch tip; nil when no invitation
    /// of the policy in force has that secret (compared in constant time).
    public func invitationView(secret: String, now: Date = Date()) throws -> InvitationView? {
        let (tip, result) = try state()
        guard let (invitee, invitation) = Self.invitation(secret: secret, in: result.state) else { return nil }
        let state = result.state
        let track = state.agreements[invitation.agreement].flatMap { $0.treeID == nil ? nil : $0 }
        let status = track.map { AgreementStatus(track: $0, policy: state.policy, now: now) }
        var documents: [AgreementDocument] = []
        var named: [String] = []
        if let track, let tree = track.treeID, !track.isTampered {
            for entry in try repo.fileListing(tree, maxDepth: Ledger.maxTreeDepth - 1).files where entry.isRegular {
                let data = try repo.blob(entry.id)
                documents.append(AgreementDocument(path: entry.path, data: data, sha256: ContentDigest.sha256Hex(data)))
            }
            named = (try? track.spec.get())?.documents ?? []
        }
        let enrollment: InvitationView.Permission
        if let refusal = Self.enrollmentRefusal(invitee, invitation, state: state, now: now) {
            enrollment = .refused(refusal)
        } else {
            enrollment = .allowed
        }
        var decision = InvitationView.Permission.refused("create your passkey first")
        var openStep: String?
        if invitation.enrolled != nil, let key = Self.passkey(of: invitee) {
            if let track {
                do {
                    let draft = try decisionDraft(invitee, invitation, track: track, approve: true, reason: nil, digest: track.digest, now: now)
                    openStep = draft.trailers.step
                    let tree = try repo.commit(tip).tree
                    let (_, findings) = try check(draft, tree: tree, parent: tip, identity: invitee, key: key, person: signature(invitee),
                                                  on: state, details: Self.bestCase(key))
                    if let problem = findings.first(where: { $0.severity == .violation }) {
                        decision = .refused(problem.message)
                        openStep = nil
                    } else {
                        decision = .allowed
                    }
                } catch let error as SigitError {
                    decision = .refused(error.description)
                }
            } else {
                decision = .refused("agreement \(invitation.agreement) is not drafted yet")
            }
        }
        return InvitationView(invitee: invitee, invitation: invitation, invitedBy: Self.inviter(of: invitee.id, invitation, in: state),
                              agreement: status, sentBy: track?.sent?.identity, documents: documents, namedDocuments: named,
                              openStep: openStep, enrollment: enrollment, decision: decision, tip: tip.hex)
    }

    /// Builds and judges the enrollment event of `secret`'s invitation for the passkey `key` (an
    /// `sk-ecdsa-sha2-nistp256@openssh.com` key whose application is the relying-party id). Throws a one-line
    /// refusal when it would not count (used, expired, wrong key type, a policy change pending).
    public func prepareEnrollment(secret: String, key: SSHPublicKey) throws -> PreparedEvent {
        let branch = try branch()
        let (tip, result) = try state()
        let state = result.state
        guard let policy = state.policy, let (invitee, invitation) = Self.invitation(secret: secret, in: state) else {
            throw SigitError.notAllowed("this link is not an invitation of the policy in force")
        }
        let now = PolicyEditor.wholeSeconds(Date())
        if let refusal = Self.enrollmentRefusal(invitee, invitation, state: state, now: now) { throw SigitError.notAllowed(refusal) }
        guard key.algorithm == Ledger.passkeyAlgorithm else {
            throw SigitError.badInput("a passkey is a \(Ledger.passkeyAlgorithm) key; this is \(key.algorithm)")
        }
        if let owner = policy.owner(of: key) { throw SigitError.notAllowed("this passkey already belongs to \(owner.identity.id)") }
        var person = signature(invitee)
        person = Signature(name: person.name, email: person.email, time: Int64(now.timeIntervalSince1970), offsetMinutes: person.offsetMinutes)
        var enrolled = policy
        enrolled.serial += 1
        enrolled.identities[invitee.id]?.keys.append(PolicyKey(key: try SSHPublicKey(blob: key.blob)))
        enrolled.identities[invitee.id]?.invitation?.enrolled = now
        var trailers = self.trailers(.enroll, invitee, agreement: invitation.agreement)
        trailers.invitationProof = try InvitationSecret.proof(secret, parent: tip.hex, identity: invitee.id, passkey: key.blob)
        let draft = EventDraft(subject: "enroll \(invitee.id): a passkey for \(invitation.agreement)", body: "Key: \(key.fingerprint)", trailers: trailers,
                               files: try PolicyEditor.files(enrolled), checkoutPaths: [Policy.path, PolicyEditor.allowedSignersPath])
        return try prepare(draft, action: .enroll, identity: invitee, key: key, person: person, branch: branch, tip: tip, state: state, digest: nil)
    }

    /// Builds and judges the invitee's approve (`approve` true) or decline (with `reason`) of the agreement at
    /// `digest`, the digest the page showed. Throws a one-line refusal when it would not count (the digest moved,
    /// no open slot, not enrolled).
    public func prepareDecision(secret: String, approve: Bool, reason: String?, digest: String) throws -> PreparedEvent {
        let digest = try DigestText.parse(digest)
        let branch = try branch()
        let (tip, result) = try state()
        let state = result.state
        guard let (invitee, invitation) = Self.invitation(secret: secret, in: state) else {
            throw SigitError.notAllowed("this link is not an invitation of the policy in force")
        }
        guard invitation.enrolled != nil, let key = Self.passkey(of: invitee) else { throw SigitError.notAllowed("create your passkey first") }
        guard let track = state.agreements[invitation.agreement], track.treeID != nil else {
            throw SigitError.notAllowed("agreement \(invitation.agreement) is not drafted yet")
        }
        let draft = try decisionDraft(invitee, invitation, track: track, approve: approve, reason: reason, digest: digest, now: Date())
        return try prepare(draft, action: approve ? .approve : .decline, identity: invitee, key: key, person: signature(invitee), branch: branch, tip: tip,
                           state: state, digest: digest)
    }

    /// Writes a prepared event with the armored SSHSIG the passkey made: checks it is by `prepared.key` over
    /// `prepared.payload`, judges the event again with the signature's flags (spec section 7), and moves the branch
    /// from `prepared.tip` by compare-and-swap. Throws when any of that fails; nothing is written then.
    public func complete(_ prepared: PreparedEvent, signature armored: String) throws -> Written {
        guard let draft = prepared.draft, let tree = prepared.tree, let person = prepared.person else {
            throw SigitError.badInput("this event was not prepared by this repository")
        }
        let check = SignatureCheck.checkWithDetails(armored: armored, payload: prepared.payload)
        guard case .good(let key) = check.check, key == prepared.key else {
            throw SigitError.notAllowed("the signature is not a good signature of this event by the expected passkey; nothing was written")
        }
        guard try branch() == prepared.branch, try head() == prepared.tip else {
            throw SigitError.conflict("the agreement changed while you were signing; reload the page and sign again; nothing was written")
        }
        let (tip, result) = try state()
        guard let identity = result.state.policy?.identities[prepared.identity] ?? nil else {
            throw SigitError.notAllowed("\(prepared.identity) is not in the policy in force; nothing was written")
        }
        let (state, findings) = try self.check(draft, tree: tree, parent: tip, identity: identity, key: key, person: person,
                                               on: result.state, details: check.details)
        try Self.refuse(findings, signed: true)
        let commit = try repo.createCommit(buffer: prepared.payload, signature: armored)
        guard try land(draft, commit: commit, on: prepared.branch, from: prepared.tip) else {
            throw SigitError.conflict("the agreement changed while you were signing; reload the page and sign again; nothing was written")
        }
        return Written(commit: commit, identity: identity.id, state: state)
    }

    /// Builds the commit of `draft` on `tip`, judged as if `key` signed it with every flag a step can ask for.
    func prepare(_ draft: EventDraft, action: Action, identity: Identity, key: SSHPublicKey, person: Signature, branch: String, tip: ObjectID,
                 state: RepositoryState, digest: String?) throws -> PreparedEvent {
        let base = try repo.commit(tip)
        let tree = try tree(base: base.tree, draft.files)
        let (_, findings) = try check(draft, tree: tree, parent: tip, identity: identity, key: key, person: person, on: state, details: Self.bestCase(key))
        try Self.refuse(findings)
        let message = try draft.checkedMessage()
        let payload = try repo.commitBuffer(tree: tree, parents: [tip], author: person, committer: person, message: message)
        let signedData = try SSHSignature.signedData(for: payload, namespace: "git", hashAlgorithm: "sha512")
        var prepared = PreparedEvent(action: action, branch: branch, tip: tip, payload: payload, signedData: signedData, key: key, digest: digest,
                                     identity: identity.id)
        prepared.draft = draft
        prepared.tree = tree
        prepared.person = person
        return prepared
    }

    /// The approve or decline draft of the invitee at `digest` (the digest the page showed).
    func decisionDraft(_ invitee: Identity, _ invitation: Invitation, track: AgreementTrack, approve: Bool, reason: String?, digest: String,
                       now: Date) throws -> EventDraft {
        let phase = track.phase(at: now)
        guard phase == .inProgress else {
            throw SigitError.notAllowed("agreement \(track.id) is \(phase.rawValue); only an agreement in progress can be \(approve ? "approved" : "declined")")
        }
        guard digest == track.digest else {
            throw SigitError.notAllowed("agreement \(track.id) changed since the page was shown (it now has digest \(track.digest)); reload the page and read it again")
        }
        guard let current = track.currentStep else { throw SigitError.notAllowed("agreement \(track.id) has no open step") }
        let text = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !approve, text.isEmpty { throw SigitError.badInput("a decline needs a reason") }
        guard text.count <= 2000 else { throw SigitError.badInput("the reason is longer than 2000 characters") }
        var trailers = self.trailers(approve ? .approve : .decline, invitee, agreement: track.id)
        trailers.digest = track.digest
        trailers.step = invitation.step ?? current.name
        let verb = approve ? "approve" : "decline"
        return EventDraft(subject: "\(verb) \(track.id) (step \(trailers.step ?? current.name))", body: approve ? "" : text, trailers: trailers)
    }

    /// The invited identity whose invitation has `secret`, compared in constant time against every invitation.
    static func invitation(secret: String, in state: RepositoryState) -> (Identity, Invitation)? {
        guard InvitationSecret.isWellFormed(secret), let policy = state.policy else { return nil }
        var found: (Identity, Invitation)?
        for identity in policy.identities.values.sorted(by: { $0.id < $1.id }) {
            guard let invitation = identity.invitation else { continue }
            if InvitationSecret.matches(secret, invitation.secretSHA256), found == nil { found = (identity, invitation) }
        }
        return found
    }

    /// Why `invitee` may not enroll now, or nil.
    static func enrollmentRefusal(_ invitee: Identity, _ invitation: Invitation, state: RepositoryState, now: Date) -> String? {
        if let used = invitation.enrolled { return "this invitation was used at \(RFC3339.format(used)); it enrolls one passkey, once" }
        if now > invitation.expires { return "this invitation expired at \(RFC3339.format(invitation.expires)); ask for a new one" }
        if !state.pending.isEmpty { return "a policy change is pending; try again once the admins settled it" }
        return nil
    }

    /// The invitee's passkey: the last key of its identity that is a passkey, not revoked or compromised, and inside its window.
    static func passkey(of invitee: Identity) -> SSHPublicKey? {
        invitee.keys.last { $0.key.algorithm == Ledger.passkeyAlgorithm && !$0.isCompromised && $0.isValid(at: Date()) }?.key
    }

    /// The admin whose policy change first wrote this invitation (by its secret's hash), when the ratifications show it.
    static func inviter(of name: String, _ invitation: Invitation, in state: RepositoryState) -> String? {
        guard let ratification = state.ratifications.first(where: { $0.policy.identities[name]?.invitation?.secretSHA256 == invitation.secretSHA256 }),
              let signed = ratification.signatures.first, let key = try? SSHPublicKey(blob: signed.keyBlob) else { return nil }
        return ratification.policy.owner(of: key)?.identity.id
    }
}
