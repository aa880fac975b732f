import Foundation
import GitKit
import SSHSig

/// Walks history once, parents first, judging every commit against the state at its parents (spec sections 2–4).
public final class Ledger {
    /// The result of a walk.
    public struct Result: Sendable {
        /// The state at the tip.
        public let state: RepositoryState
        /// Violations and warnings, oldest first, for the commits in range.
        public let findings: [Finding]
        /// Number of commits checked (in range).
        public let checked: Int
        /// Events in walk order, for the commits in range.
        public let entries: [LogEntry]
    }

    let repo: Repository
    var findings: [Finding] = []
    var entries: [LogEntry] = []
    var digestCache: [ObjectID: String] = [:]
    var blobHashCache: [ObjectID: String] = [:]
    var specCache: [ObjectID: Swift.Result<AgreementSpec, SchemaError>] = [:]
    var policyCache: [ObjectID: Swift.Result<Policy, SchemaError>] = [:]
    /// Commits read during the current walk, so each is read from libgit2 once (dropped after its last child).
    var commitCache: [ObjectID: CommitInfo] = [:]

    /// A ledger over `repository`.
    public init(repository: Repository) {
        self.repo = repository
    }

    /// Walks everything reachable from `tip`; findings and entries are kept only for commits not reachable from `hiding`.
    public func run(tip: ObjectID, hiding: [ObjectID] = []) throws -> Result {
        let order = try repo.walk(from: [tip])
        let hidden: Set<ObjectID> = hiding.isEmpty ? [] : Set(try repo.walk(from: hiding))
        var remaining: [ObjectID: Int] = [:]
        var states: [ObjectID: RepositoryState] = [:]
        var index: [ObjectID: Int] = [:]
        for (i, id) in order.enumerated() { index[id] = i }
        // Count children so each state is dropped once its last child used it.
        var parentsOf: [ObjectID: [ObjectID]] = [:]
        for id in order {
            let info = try repo.commit(id)
            commitCache[id] = info
            parentsOf[id] = info.parents
            for parent in info.parents { remaining[parent, default: 0] += 1 }
        }
        var checked = 0
        for id in order {
            let record = try CommitRecord.load(repo, id, info: commitCache[id])
            let parentStates: [RepositoryState] = (parentsOf[id] ?? []).map { parent in
                let state = states[parent] ?? RepositoryState()
                remaining[parent, default: 1] -= 1
                if remaining[parent] == 0 {
                    states[parent] = nil
                    commitCache[parent] = nil
                }
                return state
            }
            let keepFindings = !hidden.contains(id)
            let before = (findings.count, entries.count)
            let state = try evaluate(record, parents: parentStates, order: index[id] ?? 0)
            if keepFindings { checked += 1 } else {
                findings.removeSubrange(before.0...)
                entries.removeSubrange(before.1...)
            }
            if (remaining[id] ?? 0) > 0 || id == tip { states[id] = state }
        }
        return Result(state: states[tip] ?? RepositoryState(), findings: findings, checked: checked, entries: entries)
    }

    /// Judges a commit that is not written yet on top of `state`; returns the new state and its findings.
    public func evaluate(candidate record: CommitRecord, on state: RepositoryState) throws -> (RepositoryState, [Finding]) {
        let start = findings.count
        let next = try evaluate(record, parents: [state], order: Int.max / 2)
        let found = Array(findings[start...])
        findings.removeSubrange(start...)
        if !entries.isEmpty, entries.last?.commit == record.id { entries.removeLast() }
        return (next, found)
    }

    /// Joins the states of a merge's parents.
    func join(_ states: [RepositoryState], commit: ObjectID) -> RepositoryState {
        guard var result = states.first else { return RepositoryState() }
        for other in states.dropFirst() {
            if result.root == nil { result = other; continue }
            guard other.root != nil else { continue }
            if other.root != result.root {
                report(commit, .trustRoot, "this merge joins two histories with different trust roots (\(short(result.root)) and \(short(other.root)))")
                continue
            }
            if let theirs = other.policy, let mine = result.policy {
                if theirs.serial > mine.serial {
                    result.policy = theirs
                    result.policyCommit = other.policyCommit
                    result.policyDigest = other.policyDigest
                } else if theirs.serial == mine.serial, other.policyDigest != result.policyDigest {
                    report(commit, .policyConflict, "this merge joins two different ratified policies with serial \(mine.serial) (\(short(result.policyCommit)) and \(short(other.policyCommit)))")
                }
            }
            for (digest, pending) in other.pending {
                if var mine = result.pending[digest] {
                    mine.approvers.formUnion(pending.approvers)
                    result.pending[digest] = mine
                } else {
                    result.pending[digest] = pending
                }
            }
            for (id, track) in other.agreements {
                if var mine = result.agreements[id] {
                    mine.merge(track)
                    result.agreements[id] = mine
                } else {
                    result.agreements[id] = track
                }
            }
        }
        result.pending = result.pending.filter { $0.value.policy.serial > (result.policy?.serial ?? 0) }
        return result
    }

    /// Commit `id`, from the walk's cache when it is there.
    func commitInfo(_ id: ObjectID) throws -> CommitInfo {
        if let info = commitCache[id] { return info }
        return try repo.commit(id)
    }

    func report(_ commit: ObjectID, _ rule: Rule, _ message: String, _ severity: Finding.Severity = .violation) {
        findings.append(Finding(commit: commit, rule: rule, message: message, severity: severity))
    }

    func short(_ id: ObjectID?) -> String { id.map { String($0.hex.prefix(10)) } ?? "none" }
}
