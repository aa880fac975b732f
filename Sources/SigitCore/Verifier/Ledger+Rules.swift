import Foundation
import GitKit
import SSHSig

extension Ledger {
    /// The trust root: the commit that first adds the policy, signed by an admin of that policy (spec section 3).
    func judgeRoot(_ c: CommitRecord, trailers: EventTrailers?, state: inout RepositoryState, changes: ProtectedChanges, order: Int) throws {
        guard let blob = try repo.treeEntry(c.tree, path: Policy.path), !blob.isTree else {
            report(c.id, .trustRoot, "an init event without .sigit/policy.yml")
            return
        }
        log(c, action: "init", identity: trailers?.identity, agreements: [], policy: nil)
        let parsed = try policy(blob: blob.id)
        guard case .success(let policy) = parsed else {
            if case .failure(let error) = parsed { report(c.id, .policyInvalid, "the trust root's policy is invalid: \(error)") }
            return
        }
        state.root = c.id
        state.policy = policy
        state.policyCommit = c.id
        state.policyDigest = ContentDigest.sha256Hex(try repo.blob(blob.id)).withPrefix
        state.ratifications = [Ratification(proposal: c.id, commit: c.id, serial: policy.serial,
                                            signatures: c.signature.key.map { [Ratification.Signed(commit: c.id, keyBlob: $0.blob, event: c.eventID)] } ?? [],
                                            policy: policy, digest: state.policyDigest ?? "")]
        if trailers?.action != .initialize {
            report(c.id, .trustRoot, "the commit that first adds .sigit/policy.yml must be an init event (Sigit-Action: init)")
        }
        switch c.signature {
        case .unsigned:
            report(c.id, .trustRoot, "the trust root is not signed")
        case .invalid(let reason):
            report(c.id, .trustRoot, "the trust root's signature is bad: \(reason)")
        case .good(let key):
            guard let (identity, entry) = policy.owner(of: key) else {
                report(c.id, .trustRoot, "the trust root is signed by key \(key.fingerprint), which its own policy does not list")
                return
            }
            if !policy.allows(.admin, identity.id) {
                report(c.id, .trustRoot, "the trust root is signed by \(identity.id), who is not an admin of its own policy")
            } else if entry.isCompromised || !entry.isValid(at: c.time) {
                report(c.id, .trustRoot, "the trust root is signed by a key of \(identity.id) that is revoked or outside its validity window")
            } else if let claimed = trailers?.identity, claimed != identity.id {
                report(c.id, .identityMismatch, "Sigit-Identity says \(Name.quoted(claimed)) but the key belongs to \(identity.id)")
            }
        }
        if let allowed = try repo.treeEntry(c.tree, path: ".sigit/allowed_signers"), !allowed.isTree {
            if String(decoding: try repo.blob(allowed.id), as: UTF8.self) != policy.allowedSigners() {
                report(c.id, .allowedSigners, ".sigit/allowed_signers does not agree with the policy; an admin runs sigit policy sync-signers to write it again", .warning)
            }
        }
    }

    /// Checks the signature against the policy in force; returns the signer or reports why not.
    func judgeSigner(_ c: CommitRecord, trailers: EventTrailers?, policy: Policy, departures: [Data: Departure], touched: [String]) -> Identity? {
        let what = trailers?.action.map { "this \($0.rawValue) event" } ?? (touched.isEmpty ? "this change to .sigit/" : "this change to agreements/\(touched.joined(separator: ", agreements/"))")
        switch c.signature {
        case .unsigned:
            report(c.id, .unsigned, "\(what) is not signed")
            log(c, action: trailers?.action?.rawValue ?? "draft", identity: trailers?.identity, agreements: touched, policy: policy)
            return nil
        case .invalid(let reason):
            let rule: Rule = reason == SignatureCheck.nonCanonicalArmor ? .signatureEncoding : .signature
            report(c.id, rule, "\(what) has a bad signature: \(reason)")
            log(c, action: trailers?.action?.rawValue ?? "draft", identity: trailers?.identity, agreements: touched, policy: policy)
            return nil
        case .good(let key):
            let left = departures[key.blob].map { left in
                (Rule.keyLeft, "\(what) is signed by a key of \(left.identity) (\(key.fingerprint)) that left the policy at \(short(left.commit)); a key that left cannot sign again, whatever the committer time says")
            }
            guard let (identity, entry) = policy.owner(of: key) else {
                if let (rule, message) = left {
                    report(c.id, rule, message)
                    log(c, action: trailers?.action?.rawValue ?? "draft", identity: trailers?.identity, agreements: touched, policy: policy)
                    return nil
                }
                report(c.id, .unknownKey, "\(what) is signed by key \(key.fingerprint), which is not in the policy in force (serial \(policy.serial))")
                log(c, action: trailers?.action?.rawValue ?? "draft", identity: trailers?.identity, agreements: touched, policy: policy)
                return nil
            }
            var problem: (Rule, String)?
            if entry.revoked {
                problem = (.keyRevoked, "\(what) is signed by a revoked key of \(identity.id) (\(key.fingerprint))")
            } else if let since = entry.compromisedSince {
                problem = (.keyRevoked, "\(what) is signed by a key of \(identity.id) (\(key.fingerprint)) revoked as compromised since \(RFC3339.format(since)); it signs nothing new")
            } else if !entry.isValid(at: c.time) {
                problem = (.keyWindow, "\(what) is signed at \(RFC3339.format(c.time)) by a key of \(identity.id) outside its validity window")
            } else if let left {
                problem = left
            } else if let claimed = trailers?.identity, claimed != identity.id {
                problem = (.identityMismatch, "Sigit-Identity says \(Name.quoted(claimed)) but the key belongs to \(identity.id)")
            }
            if let (rule, message) = problem {
                report(c.id, rule, message)
                log(c, action: trailers?.action?.rawValue ?? "draft", identity: identity.id, agreements: touched, policy: policy)
                return nil
            }
            return identity
        }
    }

    /// What an admin's valid change of `.sigit/policy.yml` does.
    enum PolicyEdit {
        /// A proposed policy (serial + 1) and the digest of its file.
        case proposal(Policy, String)
        /// The file is the policy in force again: every pending change is withdrawn (docs/FORMAT.md).
        case restore
    }

    /// A change of `.sigit/policy.yml` (spec section 3): a valid proposal, or a restore of the policy in force.
    func judgePolicyChange(_ c: CommitRecord, signer: Identity, state: RepositoryState) throws -> PolicyEdit? {
        guard let current = state.policy else { return nil }
        guard current.allows(.admin, signer.id) else {
            report(c.id, .adminOnly, "only admins may change the policy; \(signer.id) is not an admin")
            return nil
        }
        guard let blob = try repo.treeEntry(c.tree, path: Policy.path), !blob.isTree else {
            report(c.id, .policyInvalid, "this commit removes .sigit/policy.yml")
            return nil
        }
        let bytes = try repo.blob(blob.id)
        if ContentDigest.sha256Hex(bytes).withPrefix == state.policyDigest {
            // The file is the policy in force: a withdrawal (sigit policy withdraw, a revert), or a merge that
            // resolved a policy conflict by keeping it.
            return .restore
        }
        let proposed: Policy
        switch try policy(blob: blob.id) {
        case .failure(let error):
            report(c.id, .policyInvalid, "the new policy is invalid: \(error)")
            return nil
        case .success(let p): proposed = p
        }
        guard proposed.serial == current.serial + 1 else {
            report(c.id, .policySerial, "the policy serial goes from \(current.serial) to \(proposed.serial); it must grow by exactly 1")
            return nil
        }
        if let allowed = try repo.treeEntry(c.tree, path: ".sigit/allowed_signers"), !allowed.isTree,
           String(decoding: try repo.blob(allowed.id), as: UTF8.self) != proposed.allowedSigners() {
            report(c.id, .allowedSigners, ".sigit/allowed_signers does not agree with the new policy; once it is in force, an admin runs sigit policy sync-signers to write it again", .warning)
        }
        return .proposal(proposed, ContentDigest.sha256Hex(bytes).withPrefix)
    }

    /// Puts a valid proposed policy in force, or leaves it pending until `threshold` admins signed.
    func applyPolicy(_ state: inout RepositoryState, policy: Policy, digest: String, commit c: CommitRecord, signer: String) {
        let threshold = state.policy?.threshold ?? 1
        let signed = c.signature.key.map { [Ratification.Signed(commit: c.id, keyBlob: $0.blob, event: c.eventID)] } ?? []
        var pending = state.pending[digest] ?? PendingPolicy(policy: policy, digest: digest, commit: c.id, approvers: [], signatures: [])
        pending.approvers.insert(signer)
        pending.signatures += signed.filter { !pending.signatures.contains($0) }
        if pending.approvers.count >= threshold {
            ratify(&state, pending, at: c.id, time: c.time)
        } else {
            state.pending[digest] = pending
        }
    }

    /// A proposed policy comes into force at `commit`: keys it removes, retires or revokes leave (spec section 3),
    /// and the events of keys it revokes stop counting (warnings).
    func ratify(_ state: inout RepositoryState, _ pending: PendingPolicy, at commit: ObjectID, time: Date) {
        if let old = state.policy {
            for identity in old.identities.values.sorted(by: { $0.id < $1.id }) {
                for entry in identity.keys {
                    let now = pending.policy.owner(of: entry.key)?.key
                    let revoked = now?.revoked == true && !entry.revoked
                    let retired = now.map { key in key.validBefore.map { $0 <= time } ?? false } ?? false
                    // Compromised since a time (spec section 8): newly, or since an earlier time than before.
                    let since = now?.revoked == true ? nil : now?.compromisedSince
                    let trusted = Set(pending.policy.timestamping?.authorities.map(\.fingerprint) ?? [])
                    if let known = state.departures[entry.key.blob] {
                        // Already left (retired, removed or compromised); a revocation now also drops its earlier
                        // events, and a compromise (or an earlier compromise time) those without a token from before it.
                        if revoked && !known.revoked {
                            state.departures[entry.key.blob] = Departure(commit: known.commit, identity: known.identity, revoked: true)
                            dropEvents(&state, signedBy: entry.key.blob, revokedAt: commit, identity: identity.id)
                        } else if !known.revoked, let since, since < (known.compromisedSince ?? .distantFuture) {
                            state.departures[entry.key.blob] = Departure(commit: known.commit, identity: known.identity, revoked: false, compromisedSince: since,
                                                                         compromisedAt: commit, trustedAuthorities: trusted)
                            dropEvents(&state, signedBy: entry.key.blob, revokedAt: commit, identity: identity.id, compromisedSince: since, trusted: trusted)
                        }
                        continue
                    }
                    guard now == nil || revoked || retired || since != nil else { continue }
                    let compromised = !revoked && since != nil
                    state.departures[entry.key.blob] = Departure(commit: commit, identity: identity.id, revoked: revoked, compromisedSince: revoked ? nil : since,
                                                                 compromisedAt: compromised ? commit : nil, trustedAuthorities: compromised ? trusted : nil)
                    if revoked {
                        dropEvents(&state, signedBy: entry.key.blob, revokedAt: commit, identity: identity.id)
                    } else if let since {
                        dropEvents(&state, signedBy: entry.key.blob, revokedAt: commit, identity: identity.id, compromisedSince: since, trusted: trusted)
                    }
                }
            }
        }
        state.policy = pending.policy
        state.policyDigest = pending.digest
        state.policyCommit = commit
        state.pending = [:]
        state.withdrawn = [:]
        state.ratifications.append(Ratification(proposal: pending.commit, commit: commit, serial: pending.policy.serial, signatures: pending.signatures,
                                                policy: pending.policy, digest: pending.digest))
    }

    /// Removes every agreement event signed by a key revoked at `commit`, with a warning for each; for a key revoked
    /// as compromised since a time, every event but those with a counted token from before that time (spec section 8).
    func dropEvents(_ state: inout RepositoryState, signedBy blob: Data, revokedAt commit: ObjectID, identity: String, compromisedSince since: Date? = nil,
                    trusted: Set<String> = []) {
        for id in state.agreements.keys.sorted() {
            guard let track = state.agreements[id] else { continue }
            let events = track.events(signedBy: blob).filter { event in since.map { !stampedBefore(event, $0, trusted: trusted, in: state) } ?? true }
            guard !events.isEmpty else { continue }
            _ = state.agreements[id]?.remove(Set(events.map(\.commit)), at: commit)
            for event in events {
                let why = since.map { "its key was revoked at \(short(commit)) as compromised since \(RFC3339.format($0)), and no counted time-stamp token shows the event existed before then" }
                    ?? "its key was revoked at \(short(commit))"
                report(event.commit, .revokedLater, "the \(event.kind) of \(id) by \(identity) no longer counts: \(why)", .warning)
            }
        }
    }

    /// A content change of one agreement, judged as a draft event by its signer against the state before it.
    /// nil: the change does not count (a violation). `.some(nil)`: it counts and records no event (the folder was
    /// removed). Otherwise the draft event to record. A draft whose `agreement.yml` is invalid still counts: the
    /// agreement becomes `invalid` (spec section 4), and the draft is reported.
    func judgeDraft(_ c: CommitRecord, id: String, signer: Identity, before: AgreementTrack?, content: (String, Swift.Result<AgreementSpec, SchemaError>),
                    removed: Bool, policy: Policy, order: Int) throws -> RecordedEvent?? {
        if let before, before.phase.isTerminal, before.treeID != nil || before.isTampered {
            report(c.id, .terminal, "agreement \(id) is \(before.phase.rawValue); its content must not change (start a new agreement)")
            return nil
        }
        guard policy.allows(.draft, signer.id) else {
            report(c.id, .permission, "\(signer.id) changed agreement \(id) without the draft permission")
            return nil
        }
        if removed { return .some(nil) }
        switch content.1 {
        case .failure(let error):
            report(c.id, .agreementInvalid, "agreement \(id) is invalid: \(error)")
        case .success(let spec):
            if let problem = spec.problems(with: policy, file: "agreements/\(id)/agreement.yml") {
                report(c.id, .agreementInvalid, "agreement \(id) is invalid: \(problem)")
            }
        }
        let eventID = c.eventID ?? EventID(marker: "candidate", commit: c.id.hex)
        return .some(RecordedEvent(order: order, commit: c.id, eventID: eventID, round: nil, kind: .draft, identity: signer.id, time: c.time, digest: content.0,
                                   step: nil, text: c.body, keyBlob: sharedBlob(c.signature.key, of: signer)))
    }
}

extension String {
    /// `sha256:` prepended to a hex digest.
    var withPrefix: String { "sha256:" + self }
}

extension Ledger {
    /// The blob of `key` as the policy holds it (one copy shared by every event the key signed), else its own.
    func sharedBlob(_ key: SSHPublicKey?, of signer: Identity) -> Data? {
        guard let blob = key?.blob else { return nil }
        return signer.keys.first { $0.key.blob == blob }?.key.blob ?? blob
    }
}
