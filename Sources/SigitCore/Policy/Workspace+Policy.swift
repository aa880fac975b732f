import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// Applies an admin change to the policy in force as one signed `policy` event (serial + 1).
    ///
    /// With `threshold` > 1 the change is pending until enough admins approve it (`approvePolicy`). While a
    /// change is pending, another one is refused: it would be a competing proposal with the same serial,
    /// built on the policy in force, and it would overwrite the pending proposal's file in the tree.
    public func changePolicy(subject: String, body: String = "", _ change: @escaping (inout Policy) throws -> Void) throws -> Written {
        try changePolicy(subject: subject, body: body) { policy, _ in try change(&policy) }
    }

    /// Like `changePolicy(subject:body:_:)`, for changes that need to know who signs, with which key, and when.
    public func changePolicy(subject: String, body: String = "", _ change: @escaping (inout Policy, PolicyEditor.KeyChangeContext) throws -> Void) throws -> Written {
        try changePolicy(subject: subject, body: body) { policy, context, _ in try change(&policy, context) }
    }

    /// Like `changePolicy(subject:body:_:)`, for changes that also look at the state at the branch tip (the agreements).
    ///
    /// The result's `policyOutcome` says whether the change is in force or pending, by the digest of the file written.
    /// `configure` sets the trailers of another policy action than `policy` (an `invite`).
    func changePolicy(subject: String, body: String = "", configure: (inout EventTrailers) -> Void = { _ in },
                      _ change: (inout Policy, PolicyEditor.KeyChangeContext, RepositoryState) throws -> Void) throws -> Written {
        let signingKey = try signer().publicKey
        var digest = ""
        var written = try write { state, me in
            guard var policy = state.policy else { throw SigitError.repository("no policy in force") }
            guard policy.allows(.admin, me.id) else {
                throw SigitError.notAllowed("\(me.id) is not an admin; only admins change the policy; nothing was written")
            }
            if let pending = state.pending.values.sorted(by: { $0.digest < $1.digest }).first {
                throw SigitError.notAllowed("a policy change is pending (\(pending.digest), \(pending.approvers.count) of \(policy.threshold) admins signed): approve it with sigit policy approve or withdraw it with sigit policy withdraw first; nothing was written")
            }
            let context = PolicyEditor.KeyChangeContext(signer: me.id, signingKey: signingKey, now: PolicyEditor.wholeSeconds(Date()))
            try change(&policy, context, state)
            policy.serial += 1
            var trailers = EventTrailers()
            trailers.version = "1"
            trailers.action = .policy
            trailers.identity = me.id
            configure(&trailers)
            let files = try PolicyEditor.files(policy)
            if case .write(let data, _)? = files[Policy.path] { digest = ContentDigest.sha256Hex(data).withPrefix }
            return EventDraft(subject: subject, body: body, trailers: trailers, files: files,
                              checkoutPaths: [Policy.path, PolicyEditor.allowedSignersPath])
        }
        written.policyOutcome = PolicyChangeOutcome.of(digest: digest, in: written.state)
        return written
    }

    /// `sigit policy approve [--digest D]`: one `policy-approve` event (tree unchanged) for a pending policy change.
    ///
    /// `digest` may be left out when exactly one change is pending. Refuses when nothing is pending, when the
    /// signer is not an admin of the policy in force or already signed for the change (its proposer counts as
    /// one), and when the change would revoke (or mark compromised) or at once retire the key that signs the approval.
    public func approvePolicy(digest: String?) throws -> Written {
        let digest = try digest.map(DigestText.parse)
        let signingKey = try signer().publicKey
        var approved = ""
        var written = try write { state, me in
            guard let policy = state.policy else { throw SigitError.repository("no policy in force") }
            let pending = try Self.pendingChange(state, digest: digest)
            approved = pending.digest
            guard policy.allows(.admin, me.id) else {
                throw SigitError.notAllowed("\(me.id) is not an admin; only admins approve policy changes; nothing was written")
            }
            guard !pending.approvers.contains(me.id) else {
                throw SigitError.notAllowed("\(me.id) already signed for policy change \(pending.digest) (\(pending.approvers.count) of \(policy.threshold) admins); another admin must approve it")
            }
            let after = pending.policy.owner(of: signingKey)?.key
            if after == nil || after?.isCompromised == true || after?.isValid(at: PolicyEditor.wholeSeconds(Date())) == false {
                let what = after == nil ? "removes" : after?.isCompromised == true ? "revokes" : "retires"
                throw SigitError.notAllowed("policy change \(pending.digest) \(what) the key that would sign this approval (\(signingKey.fingerprint)); a key does not sign for its own end, another admin must approve it")
            }
            var trailers = EventTrailers()
            trailers.version = "1"
            trailers.action = .policyApprove
            trailers.identity = me.id
            trailers.policyDigest = pending.digest
            return EventDraft(subject: "policy-approve serial \(pending.policy.serial) (\(pending.digest.prefix(19)))",
                              body: "Approves the policy change proposed in \(pending.commit.hex).", trailers: trailers)
        }
        written.policyOutcome = PolicyChangeOutcome.of(digest: approved, in: written.state)
        return written
    }

    /// The pending change `digest` names, or the only one when `digest` is nil.
    static func pendingChange(_ state: RepositoryState, digest: String?, verb: String = "approve") throws -> PendingPolicy {
        guard !state.pending.isEmpty else { throw SigitError.badInput("no policy change is pending; nothing to \(verb)") }
        if let digest {
            guard let pending = state.pending[digest] else {
                throw SigitError.badInput("no pending policy change has digest \(digest); sigit policy show lists the pending ones")
            }
            return pending
        }
        guard state.pending.count == 1, let only = state.pending.values.first else {
            let digests = state.pending.keys.sorted().joined(separator: ", ")
            throw SigitError.badInput("\(state.pending.count) policy changes are pending (\(digests)); name one with --digest")
        }
        return only
    }
}
