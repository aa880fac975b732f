import Foundation
import GitKit
import SSHSig

extension Ledger {
    /// Judges one commit against the state at its parents and returns the state at the commit.
    /// `parents` is taken over (emptied), so a single parent's state is mutated in place instead of copied.
    func evaluate(_ c: CommitRecord, parents: inout [RepositoryState], order: Int) throws -> RepositoryState {
        let isMerge = c.parents.count > 1
        var state = parents.count > 1 ? try join(parents, commit: c.id, time: c.time) : (parents.popLast() ?? RepositoryState())
        parents.removeAll()
        let parentInfos = try c.parents.map { try commitFacts($0) }
        if let latest = parentInfos.map(\.time).max(), c.committer.time < latest, state.policy != nil {
            report(c.id, .committerTime, "committer time is earlier than a parent's", .warning)
        }

        // Changes under the protected paths.
        var changes: ProtectedChanges
        let (direct, sigitTree, agreementsTree) = try directChanges(tree: c.tree, base: state)
        if isMerge {
            changes = try mergeChanges(tree: c.tree, parents: parentInfos)
        } else {
            changes = direct
        }
        let contentChanged = direct.agreements
        state.sigitTree = sigitTree
        state.agreementsTree = agreementsTree

        let trailers: EventTrailers?
        switch c.trailers {
        case .success(let t): trailers = t
        case .failure(let problem):
            if state.policy != nil || changes.policy {
                report(c.id, .malformedEvent, "malformed sigit trailers: \(problem.description)")
                log(c, action: "invalid", identity: nil, agreements: Array(changes.agreements), policy: state.policy)
            }
            try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
            return state
        }

        // Before the trust root.
        if state.policy == nil {
            guard changes.policy || trailers?.action == .initialize else { return state }
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
            try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
            return state
        }

        // Who signed it.
        let touched = changes.agreements.sorted()
        guard let signer = judgeSigner(c, trailers: trailers, policy: policy, departures: state.departures, touched: touched) else {
            try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
            return state
        }
        let action = trailers?.action
        log(c, action: action?.rawValue ?? (changes.policy ? "policy" : "draft"), identity: signer.id, agreements: trailers?.agreement.map { [$0] } ?? touched, policy: policy)

        if action == .initialize {
            report(c.id, .malformedEvent, "an init event after the trust root \(short(state.root))")
            try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
            return state
        }
        if let action, action.keepsTree, let first = parentInfos.first, first.tree != c.tree {
            report(c.id, .treeChanged, "a \(action.rawValue) commit must not change files, but this one does")
            try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
            return state
        }

        // Content changes: policy, other .sigit files, agreements.
        var newPolicy: (Policy, String, ObjectID)?
        if changes.policy {
            newPolicy = try judgePolicyChange(c, signer: signer, state: state)
        } else if changes.allowedSigners, !policy.allows(.admin, signer.id) {
            report(c.id, .adminOnly, "only admins may change .sigit/allowed_signers; \(signer.id) is not an admin")
        }
        for path in changes.otherSigit where !policy.allows(.admin, signer.id) {
            report(c.id, .adminOnly, "only admins may change \(path); \(signer.id) is not an admin")
        }
        for path in changes.strayAgreementPaths {
            report(c.id, .agreementInvalid, "\(path) must be a folder of agreement folders")
        }
        let phasesBefore = Dictionary(uniqueKeysWithValues: touched.map { ($0, state.agreements[$0]?.phase) })
        try updateContent(&state, ids: contentChanged, agreementsTree: agreementsTree)
        for id in touched {
            if let event = try judgeDraft(c, id: id, signer: signer, track: state.agreements[id], before: phasesBefore[id] ?? nil, policy: policy, order: order) {
                state.agreements[id]?.record(event)
            }
        }
        if let (p, digest, _) = newPolicy {
            applyPolicy(&state, policy: p, digest: digest, commit: c, signer: signer.id)
        }

        // Actions that keep the tree.
        if let action, action.keepsTree {
            try judgeAction(action, c, trailers: trailers ?? EventTrailers(), signer: signer, state: &state, order: order)
        }
        return state
    }

    /// Sets the content of the agreements a commit changed.
    func updateContent(_ state: inout RepositoryState, ids: Set<String>, agreementsTree: ObjectID?) throws {
        guard !ids.isEmpty else { return }
        let entries = try agreementEntries(agreementsTree)
        for id in ids {
            let treeID = entries[id] ?? nil
            if treeID == nil && entries[id] == nil {
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
                                signer: signer, policy: inForce))
    }
}
