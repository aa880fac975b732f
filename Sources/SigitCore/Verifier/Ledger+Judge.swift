import Foundation
import GitKit
import SSHSig

extension Ledger {
    /// Judges one commit against the state at its parents and returns the state at the commit.
    /// `parents` is taken over (emptied), so a single parent's state is mutated in place instead of copied.
    ///
    /// The invariant (docs/FORMAT.md, *The ledger's invariant*): the state at a commit is a function of the states
    /// at its parents and the commit; every difference is explained by one counted, signed event or by the
    /// clean-merge rule. A violation leaves the state where it was; when it changed an agreement's files, that
    /// agreement is marked tampered since the commit.
    func evaluate(_ c: CommitRecord, parents: inout [RepositoryState], order: Int) throws -> RepositoryState {
        let isMerge = c.parents.count > 1
        // Every parent holds the same trust root exactly when the root is an ancestor of each, and then one of their
        // merge bases contains it (the root is a common ancestor): what a clean merge needs (spec section 2).
        let related = parents.allSatisfy { $0.root != nil && $0.root == parents.first?.root }
        var state = parents.count > 1 ? try join(parents, commit: c.id, time: c.time, order: order) : (parents.popLast() ?? RepositoryState())
        parents.removeAll()
        if let reason = c.malformed {
            // libgit2 cannot read it: nothing it carries counts; what it changes under the protected paths is tampering.
            report(c.id, .malformedObject, "this commit cannot be parsed (\(reason)); nothing it does counts")
            if c.tree != .zero, (try? repo.treeEntries(c.tree)) != nil {
                let (direct, sigitTree, agreementsTree) = try directChanges(tree: c.tree, base: state, commit: c.id)
                state.sigitTree = sigitTree
                state.agreementsTree = agreementsTree
                try settle(&state, changed: direct.agreements, counted: [], agreementsTree: agreementsTree, commit: c.id)
            }
            return state
        }
        judgeCounter(c, state: &state)
        let parentInfos = try c.parents.map { try commitFacts($0) }
        if let latest = parentInfos.map(\.time).max(), c.committer.time < latest, state.policy != nil {
            report(c.id, .committerTime, "committer time is earlier than a parent's", .warning)
        }

        // Changes under the protected paths.
        var changes: ProtectedChanges
        let (direct, sigitTree, agreementsTree) = try directChanges(tree: c.tree, base: state, commit: c.id)
        if isMerge {
            changes = try mergeChanges(tree: c.tree, parents: parentInfos, related: related || state.root == nil)
            changes.malformed = direct.malformed
        } else {
            changes = direct
        }
        let contentChanged = direct.agreements
        state.sigitTree = sigitTree
        state.agreementsTree = agreementsTree
        // A hostile entry is a violation of the commit that introduced it; content that still holds one never counts.
        let introduced = try changes.malformed.filter { path, _ in try isNew(path, tree: c.tree, parents: parentInfos) }
        for (path, problem) in introduced.sorted(by: { $0.key < $1.key }) {
            report(c.id, .malformedObject, "\(path): \(problem); only regular files may be under .sigit/ and agreements/, at most \(Self.maxTreeDepth) levels deep")
        }
        let malformedAgreements = Set(changes.malformed.keys.compactMap(ProtectedChanges.agreement(of:)))
        let introducedIn = Set(introduced.keys.compactMap(ProtectedChanges.agreement(of:)))

        let trailers: EventTrailers?
        switch c.trailers {
        case .success(let t): trailers = t
        case .failure(let problem):
            if state.policy != nil || changes.policy {
                report(c.id, .malformedEvent, "malformed sigit trailers: \(problem.description)")
                log(c, action: "invalid", identity: nil, agreements: Array(changes.agreements), policy: state.policy)
            }
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id)
            return state
        }

        // Before the trust root.
        if state.policy == nil {
            guard changes.policy || trailers?.action == .initialize else {
                try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
                return state
            }
            try judgeRoot(c, trailers: trailers, state: &state, changes: changes, order: order)
            try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
            return state
        }
        guard let policy = state.policy else { return state }

        let isEvent = trailers != nil || !changes.isEmpty
        guard isEvent else {
            if isMerge, let key = c.signature.key, policy.owner(of: key) == nil {
                report(c.id, .foreignMergeSignature, "a clean merge is signed by key \(key.fingerprint), which is not in the policy (accepted: clean merges need no signature)", .warning)
            }
            // A clean merge: the content each agreement has is the one its joined state counts (or, where both sides
            // began their own revision, the clean merge of them); anything else is tampering brought in by a side.
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge)
            return state
        }

        // An enrollment is signed by the key it adds: judged by its invitation, not by the policy's keys (spec section 9).
        if let trailers, trailers.action == .enroll {
            try judgeEnrollment(c, trailers: trailers, state: &state, changes: changes, isMerge: isMerge)
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }

        // Who signed it.
        let touched = changes.agreements.sorted()
        guard let signer = judgeSigner(c, trailers: trailers, policy: policy, departures: state.departures, touched: touched) else {
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }
        let action = trailers?.action
        log(c, action: action?.rawValue ?? (changes.policy ? "policy" : "draft"), identity: signer.id, agreements: trailers.map { $0.agreements.isEmpty ? touched : $0.agreements } ?? touched, policy: policy)

        if let problem = invitationScopeProblem(signer, action: action, trailers: trailers, changes: changes) {
            report(c.id, .invitationScope, problem)
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }
        if action == .invite, !changes.policy {
            report(c.id, .malformedEvent, "an invite event writes the invitation into .sigit/policy.yml, but this one does not change it")
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }
        if action == .initialize {
            report(c.id, .malformedEvent, "an init event after the trust root \(short(state.root))")
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }
        if let action, action.keepsTree, let first = parentInfos.first, first.tree != c.tree {
            report(c.id, .treeChanged, "a \(action.rawValue) commit must not change files, but this one does")
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }

        // Time-stamp tokens (spec section 8): only a timestamp event adds them, and it changes nothing else.
        if action == .timestamp || !changes.timestamps.isEmpty {
            if action == .timestamp {
                try judgeTimestamp(c, signer: signer, state: &state, changes: changes, isMerge: isMerge, parent: parentInfos.first)
            } else {
                report(c.id, .timestamp, "only a timestamp event changes \(TimestampFiles.folder)/, adding tokens; this \(action?.rawValue ?? "commit") changes \(changes.timestamps.sorted().first ?? "")")
            }
            try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
            return state
        }

        // Content changes: policy, other .sigit files, agreements.
        var newPolicy: PolicyEdit?
        if changes.policy {
            newPolicy = try judgePolicyChange(c, signer: signer, state: state)
            if action == .invite, case .proposal(let proposed, _)? = newPolicy, let invitee = trailers?.invitee,
               proposed.identities[invitee]?.invitation?.agreement != trailers?.agreement || proposed.identities[invitee]?.invitation?.enrolled != nil {
                // A malformed event counts nothing: neither its policy nor anything else it changes.
                report(c.id, .malformedEvent, "an invite event writes an unused invitation of \(invitee) for agreement \(trailers?.agreement ?? ""); this one does not")
                try settle(&state, changed: contentChanged, counted: [], agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
                return state
            }
        } else if changes.allowedSigners, !policy.allows(.admin, signer.id) {
            report(c.id, .adminOnly, "only admins may change .sigit/allowed_signers; \(signer.id) is not an admin")
        } else if changes.allowedSigners, state.pending.isEmpty,
                  let allowed = try repo.treeEntry(c.tree, path: PolicyEditor.allowedSignersPath), !allowed.isTree,
                  String(decoding: try repo.blob(allowed.id), as: UTF8.self) != policy.allowedSigners() {
            report(c.id, .allowedSigners, ".sigit/allowed_signers does not agree with the policy in force; an admin runs sigit policy sync-signers to write it again", .warning)
        }
        for path in changes.otherSigit where !policy.allows(.admin, signer.id) {
            report(c.id, .adminOnly, "only admins may change \(path); \(signer.id) is not an admin")
        }
        for path in changes.strayAgreementPaths {
            report(c.id, .agreementInvalid, "\(path) must be a folder of agreement folders")
        }
        // Each changed agreement is a draft event by the signer; only a valid one moves its state.
        var counted = Set<String>()
        var drafts: [String: RecordedEvent] = [:]
        for id in touched where malformedAgreements.contains(id) && !introducedIn.contains(id) {
            report(c.id, .agreementInvalid, "agreement \(id) holds an entry that is not a regular file (or trees nested too deep) since an earlier commit; it cannot be revised until that entry is removed")
        }
        for id in touched where !malformedAgreements.contains(id) {
            let treeID = try agreementEntry(agreementsTree, id) ?? nil
            let content = (try digest(of: treeID), try spec(of: treeID, id: id))
            let before = state.agreements[id]
            if let event = try judgeDraft(c, id: id, signer: signer, before: before, content: content, removed: treeID == nil, policy: policy, order: order) {
                counted.insert(id)
                if let event { drafts[id] = event }
            }
        }
        try settle(&state, changed: contentChanged, counted: counted, agreementsTree: agreementsTree, commit: c.id, cleanMerge: isMerge, judged: changes.agreements)
        for (id, event) in drafts.sorted(by: { $0.key < $1.key }) { state.agreements[id]?.record(event) }
        switch newPolicy {
        case .proposal(let p, let digest)?: applyPolicy(&state, policy: p, digest: digest, commit: c, signer: signer.id)
        case .restore?:
            for digest in state.pending.keys.sorted() { state.withdrawn[digest, default: []].append(c.id) }
            state.pending = [:]
        case nil: break
        }

        // Actions that keep the tree.
        if let action, action.keepsTree {
            try judgeAction(action, c, trailers: trailers ?? EventTrailers(), signer: signer, state: &state, order: order)
        }
        return state
    }

    /// Spec section 7: a FIDO counter that is not above the highest its key showed in the commit's ancestry is a
    /// `counter-regression` warning (a cloned authenticator); 0 (an authenticator that keeps no counter) never is.
    /// Every good FIDO signature raises the key's highest counter, whether or not its event counts.
    func judgeCounter(_ c: CommitRecord, state: inout RepositoryState) {
        guard let counter = c.signatureDetails?.counter, counter > 0, let key = c.signature.key else { return }
        let fingerprint = key.fingerprint
        if let seen = state.counters[fingerprint], counter <= seen {
            if state.policy != nil {
                report(c.id, .counterRegression, "the FIDO key \(fingerprint) signed with counter \(counter), but its signatures already reached \(seen) in this commit's ancestry; a cloned authenticator repeats counters (the event still counts)", .warning)
            }
            return
        }
        state.counters[fingerprint] = counter
    }

    /// Whether the entry at `path` in `tree` is not in any parent's tree as it is here (the commit introduced it).
    func isNew(_ path: String, tree: ObjectID, parents: [CommitFacts]) throws -> Bool {
        let here = try repo.treeEntry(tree, path: path)
        for parent in parents where try repo.treeEntry(parent.tree, path: path) == here { return false }
        return true
    }

    /// Records the content of the agreements whose folder changed at `commit`. Those in `counted` (a valid draft)
    /// take the new content; a clean merge's agreements that are not in `judged` keep what the join counted (or,
    /// where both sides began their own revision, take the clean merge of them). Every other change does not count:
    /// the state stays, and the agreement is tampered unless its files are again what the state counts.
    func settle(_ state: inout RepositoryState, changed: Set<String>, counted: Set<String>, agreementsTree: ObjectID?, commit: ObjectID,
                cleanMerge: Bool = false, judged: Set<String> = []) throws {
        guard !changed.isEmpty else { return }
        for id in changed.sorted() {
            let entry = try agreementEntry(agreementsTree, id)
            let treeID = entry ?? nil
            let folderGone = entry == nil
            guard var track = state.agreements[id] else {
                guard !folderGone else { continue }
                let content = (try digest(of: treeID), try spec(of: treeID, id: id))
                if counted.contains(id) {
                    state.agreements[id] = AgreementTrack(id: id, treeID: treeID, digest: content.0, spec: content.1)
                } else {
                    // A folder no valid draft created: the state holds no content for it.
                    var track = AgreementTrack(id: id, treeID: nil, digest: try digest(of: nil),
                                               spec: .failure(SchemaError(file: "agreements/\(id)", line: nil, reason: "no valid draft created this agreement")))
                    track.setTree(treeID, matches: false, at: commit)
                    state.agreements[id] = track
                }
                continue
            }
            if counted.contains(id) {
                if folderGone {
                    track.setContent(treeID: nil, digest: try digest(of: nil), spec: .failure(SchemaError(file: "agreements/\(id)", line: nil, reason: "the agreement folder was removed")))
                } else {
                    track.setContent(treeID: treeID, digest: try digest(of: treeID), spec: try spec(of: treeID, id: id))
                }
            } else if cleanMerge, !judged.contains(id), track.tamperedAt == nil, track.epoch?.kind == .rejoin, track.epoch?.commit == commit {
                // Both sides began their own revision: the clean merge of them is the new draft content.
                track.setContent(treeID: treeID, digest: try digest(of: treeID), spec: try spec(of: treeID, id: id))
            } else {
                track.setTree(treeID, matches: try digest(of: treeID) == track.digest, at: commit)
            }
            state.agreements[id] = track
        }
    }

    /// Sets the content of the agreements a commit changed before the trust root (nothing is judged there).
    func updateContent(_ state: inout RepositoryState, ids: Set<String>, agreementsTree: ObjectID?) throws {
        guard !ids.isEmpty else { return }
        for id in ids {
            let entry = try agreementEntry(agreementsTree, id)
            let treeID = entry ?? nil
            if entry == nil {
                state.agreements[id]?.setContent(treeID: nil, digest: try digest(of: nil), spec: .failure(SchemaError(file: "agreements/\(id)", line: nil, reason: "the agreement folder was removed")))
                continue
            }
            let content = (try digest(of: treeID), try spec(of: treeID, id: id))
            if state.agreements[id] == nil {
                state.agreements[id] = AgreementTrack(id: id, treeID: treeID, digest: content.0, spec: content.1)
            } else {
                state.agreements[id]?.setContent(treeID: treeID, digest: content.0, spec: content.1)
            }
        }
    }

    /// Records an event for the log; `policy` is the policy in force at the commit's parents (nil before the trust
    /// root, where an init event is named by its own policy), so evidence names people as they were then.
    func log(_ c: CommitRecord, action: String, identity: String?, agreements: [String], step: String? = nil, policy: Policy?) {
        guard keepsEntries else { return }
        let key = c.signature.key
        let trailers: EventTrailers? = (try? c.trailers.get()) ?? nil
        var inForce = policy
        if inForce == nil, action == Action.initialize.rawValue,
           let blob = try? repo.treeEntry(c.tree, path: Policy.path), !blob.isTree, case .success(let own)? = try? self.policy(blob: blob.id) {
            inForce = own
        }
        let signer = key.flatMap { inForce?.owner(of: $0)?.identity }.flatMap { $0.id == identity ? $0 : nil }
        entries.append(LogEntry(commit: c.id, time: c.time, action: action, identity: identity, fingerprint: key?.fingerprint, keyType: key?.algorithm,
                                agreements: agreements, step: step ?? trailers?.step, subject: c.subject, body: c.body, violations: [], trailers: trailers,
                                signature: key.map { SignatureEvidence(keyType: $0.algorithm, details: c.signatureDetails) }, signer: signer, policy: inForce, event: c.eventID))
    }
}
