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
        /// The order number the next commit after `tip` would get (events are ordered by it).
        public let orderEnd: Int
    }

    let repo: Repository
    var findings: [Finding] = []
    var entries: [LogEntry] = []
    var digestCache: [ObjectID: String] = [:]
    var blobHashCache: [ObjectID: String] = [:]
    var specCache: [ObjectID: Swift.Result<AgreementSpec, SchemaError>] = [:]
    /// What is wrong with the shape of an agreement folder tree (paths relative to it), by tree id.
    var shapeCache: [ObjectID: [String: String]] = [:]
    /// The entries of the last `agreements/` tree looked at (name → folder tree; nil for a non-folder entry).
    var agreementsListing: (tree: ObjectID, entries: [String: ObjectID?])?
    /// Copies of events already reported as `replay` (a later merge may bring them in again).
    var reportedReplays: Set<ObjectID> = []
    var policyCache: [ObjectID: Swift.Result<Policy, SchemaError>] = [:]
    /// What the children of a judged commit need of it (dropped after its last child).
    var facts: [ObjectID: CommitFacts] = [:]
    /// Answers of `isAncestor`, keyed by [ancestor, descendant].
    var ancestry: [[ObjectID]: Bool] = [:]
    /// Events already reported as signed after their key left (a later merge may bring them in again).
    var reportedLeft: Set<ObjectID> = []
    /// The agreements each commit judged by this ledger changed (a merge joins only those changed since the merge
    /// base); a commit judged before a resume is not here, and nothing is known of what it changed.
    var touchedBy: [ObjectID: [String]] = [:]
    /// Agreements the merge being evaluated must join (nil: all of them).
    var mergeCandidates: Set<String>?
    /// Told (commits done, commits in all, seconds so far) every few thousand commits, and once at the end.
    var progress: (@Sendable (Int, Int, TimeInterval) -> Void)?
    /// Whether the result lists every event (`Result.entries`: log, certificate, review, export need them; verify and
    /// status do not, and at 100k commits they are a good part of the memory).
    public var keepsEntries = true
    /// Signature answers remembered between runs (`.git/sigit/cache/`); nil checks every signature.
    var signatureCache: SignatureCache?
    /// A walk resumed from the state snapshot uses the signature cache only for at least this many new commits.
    static let resumeCacheThreshold = 64
    /// Below this many commits the commits are read inline (a thread costs more than it saves); SIGIT_PIPELINE_MIN
    /// overrides it, so the tests can run every walk through the pipeline.
    static let pipelineThreshold = ProcessInfo.processInfo.environment["SIGIT_PIPELINE_MIN"].flatMap { Int($0) } ?? 256

    /// A ledger over `repository`.
    public init(repository: Repository) {
        self.repo = repository
    }

    /// Walks everything reachable from `tip`; findings and entries are kept only for commits not reachable from `hiding`.
    public func run(tip: ObjectID, hiding: [ObjectID] = []) throws -> Result {
        let order = try repo.walk(from: [tip])
        let hidden: Set<ObjectID> = hiding.isEmpty ? [] : Set(try repo.walk(from: hiding))
        return try process(order, hidden: hidden, tip: tip, seed: nil)
    }

    /// The state at `tip`, starting from `snapshot` (the state at an ancestor) and judging only the commits since:
    /// nil when that is not possible (the snapshot's commit is not an ancestor, or the new commits are not a straight
    /// line from it). Findings and entries cover only the new commits, so callers that report on all of history must
    /// run the whole walk.
    public func resume(from snapshot: StateSnapshot, tip: ObjectID) throws -> Result? {
        if snapshot.tip == tip {
            return Result(state: snapshot.state, findings: [], checked: 0, entries: [], orderEnd: snapshot.orderEnd)
        }
        // Only a straight line of new commits: then their order is the one a whole walk gives them (after every
        // older commit, one after the other). Anything with a merge is walked whole. Followed parent by parent: a
        // libgit2 walk hiding the snapshot's commit would visit much of the older history to sort the new commits.
        var line: [ObjectID] = []
        var current = tip
        while current != snapshot.tip {
            guard let parents = try? repo.parents(of: current), parents.count == 1 else { return nil }  // a merge, or the root: the snapshot is not on the line
            line.append(current)
            current = parents[0]
        }
        let order = Array(line.reversed())
        return try process(order, hidden: [], tip: tip, seed: (snapshot.tip, snapshot.state, snapshot.orderEnd))
    }

    /// Judges `order` (parents first). `seed` is a commit outside `order` whose state is already known, with the
    /// order number its descendants start at.
    func process(_ order: [ObjectID], hidden: Set<ObjectID>, tip: ObjectID, seed: (ObjectID, RepositoryState, Int)?) throws -> Result {
        var remaining: [ObjectID: Int] = [:]
        var states: [ObjectID: RepositoryState] = [:]
        let offset = seed?.2 ?? 0
        if let seed { states[seed.0] = seed.1 }
        var checked = 0
        // Commits are read and their signatures checked ahead, on other threads, while earlier ones are judged here.
        // The pipeline starts first, so its reading overlaps the counting of children below too.
        let started = Date()
        defer { progress?(order.count, order.count, Date().timeIntervalSince(started)) }
        // A walk resumed for a few commits checks them afresh: reading (and rewriting) the cache of every commit
        // would cost more than the few signature checks it saves.
        let cache = seed != nil && order.count < Self.resumeCacheThreshold ? nil : signatureCache
        let known = cache?.entries ?? SignatureAnswers()
        let piped = order.count >= Self.pipelineThreshold
        let pipeline = piped ? SignaturePipeline(gitDir: repo.gitDir, order: order, known: known) : nil
        pipeline?.start()
        defer { pipeline?.cancel() }
        // Count children so each state is dropped once its last child used it.
        for id in order {
            let parents: [ObjectID]
            if let known = try? repo.parents(of: id) { parents = known } else { parents = try repo.rawCommitHeader(id).parents }
            for parent in parents { remaining[parent, default: 0] += 1 }
        }
        for (position, id) in order.enumerated() {
            let record: CommitRecord
            if let made = pipeline?.record(at: position), made.id == id {
                record = made
            } else if let answer = known[id], answer.key == nil || known.event(id) != nil, let info = try? repo.commit(id) {
                record = CommitRecord.make(id: id, info: info, signature: answer, event: known.event(id), details: known.details(id))
            } else {
                record = try loadRecord(id)
            }
            if record.malformed == nil { cache?.record(id, record.signature, event: record.eventID, details: record.signatureDetails) }
            if let progress, position % 4096 == 4095 { progress(position + 1, order.count, Date().timeIntervalSince(started)) }
            // A parent whose last child this is hands its state over (removed from `states`), so the state is
            // uniquely owned and the next commit mutates it without copying every agreement.
            var parentStates: [RepositoryState] = record.parents.map { parent in
                remaining[parent, default: 1] -= 1
                if remaining[parent] == 0 {
                    facts[parent] = nil
                    return states.removeValue(forKey: parent) ?? RepositoryState()
                }
                return states[parent] ?? RepositoryState()
            }
            let keepFindings = !hidden.contains(id)
            let before = (findings.count, entries.count)
            for i in parentStates.indices { parentStates[i].agreements.touched = [] }
            mergeCandidates = try candidates(for: record)
            let state = try evaluate(record, parents: &parentStates, order: offset + position)
            mergeCandidates = nil
            touchedBy[id] = Array(state.agreements.touched)
            if keepFindings { checked += 1 } else {
                findings.removeSubrange(before.0...)
                entries.removeSubrange(before.1...)
            }
            if (remaining[id] ?? 0) > 0 || id == tip { states[id] = state }
            if (remaining[id] ?? 0) > 0 { facts[id] = CommitFacts(id: id, tree: record.tree, time: record.committer.time) }
        }
        cache?.save()
        let final = states[tip] ?? RepositoryState()
        if !final.trustedTimes.isEmpty {
            for i in entries.indices {
                guard let event = entries[i].event, let stamp = final.trustedTimes[event] else { continue }
                entries[i].trustedTime = stamp
                entries[i].clockSkew = stamp.skewed
            }
        }
        return Result(state: final, findings: findings, checked: checked, entries: entries, orderEnd: offset + order.count)
    }

    /// The record of commit `id`; a commit libgit2 cannot parse (a malformed committer line) becomes a record that
    /// says so, with the tree and parents read from its raw header, so the walk goes on past it (spec section 2,
    /// *Hostile objects*).
    func loadRecord(_ id: ObjectID) throws -> CommitRecord {
        do {
            return try CommitRecord.load(repo, id)
        } catch {
            guard let header = try? repo.rawCommitHeader(id) else { throw error }
            return CommitRecord.malformed(id: id, header: header, reason: "\(error)")
        }
    }

    /// Judges a commit that is not written yet on top of `state`; returns the new state and its findings.
    public func evaluate(candidate record: CommitRecord, on state: RepositoryState) throws -> (RepositoryState, [Finding]) {
        let start = findings.count
        var parents = [state]
        let next = try evaluate(record, parents: &parents, order: Int.max / 2)
        let found = Array(findings[start...])
        findings.removeSubrange(start...)
        if !entries.isEmpty, entries.last?.commit == record.id { entries.removeLast() }
        return (next, found)
    }

    /// The agreements a merge must join: those changed by a commit reachable from a parent but not from the merge
    /// base of all parents (a superset of what differs between the sides); nil when not a merge or when the sides
    /// share no history, and everything is joined.
    func candidates(for record: CommitRecord) throws -> Set<String>? {
        guard record.parents.count > 1 else { return nil }
        var base: ObjectID? = record.parents[0]
        for parent in record.parents.dropFirst() {
            guard let known = base else { break }
            base = try repo.mergeBase(known, parent)
        }
        guard let base else { return nil }
        var ids = Set<String>()
        for commit in try repo.walk(from: record.parents, hiding: [base], reverse: false) {
            guard let touched = touchedBy[commit] else { return nil }  // judged before a resume: join everything
            ids.formUnion(touched)
        }
        return ids
    }

    /// Joins the states of a merge's parents (spec section 4, *Joining at merges*): per agreement, what counted on
    /// each side is combined (`AgreementTrack.join`); no event is judged again.
    func join(_ states: [RepositoryState], commit: ObjectID, time: Date, order: Int) throws -> RepositoryState {
        guard var result = states.first else { return RepositoryState() }
        var sides: [RepositoryState] = [result]
        for other in states.dropFirst() {
            if result.root == nil { result = other; sides = [other]; continue }
            guard other.root != nil else { continue }
            if other.root != result.root {
                report(commit, .trustRoot, "this merge joins two histories with different trust roots (\(short(result.root)) and \(short(other.root)))")
                continue
            }
            sides.append(other)
            result.counters.merge(other.counters, uniquingKeysWith: max)
            result.trustedTimes.merge(other.trustedTimes) { mine, theirs in theirs.genTime < mine.genTime ? theirs : mine }
            reportPolicyReplays(result, other, merge: commit)
            // A key that left on both sides: this side's departure commit, with the stronger verdict of the two
            // (revoked over compromised over retired; the earlier compromise time), so a revocation made on either
            // side is never lost at a merge.
            result.departures.merge(other.departures) { mine, theirs in mine.joined(with: theirs) }
            // One ratification per policy (serial and file digest): a copy of a ratifying commit under another id is
            // the same ratification, never a second one; oldest first.
            for ratification in other.ratifications where !result.ratifications.contains(where: {
                $0.commit == ratification.commit || ($0.serial == ratification.serial && $0.digest == ratification.digest)
            }) {
                result.ratifications.append(ratification)
            }
            result.ratifications.sort { $0.serial < $1.serial }
            for (digest, commits) in other.withdrawn {
                for commit in commits where !(result.withdrawn[digest] ?? []).contains(commit) { result.withdrawn[digest, default: []].append(commit) }
            }
            // A change withdrawn on either side stays withdrawn: only a proposal made after every withdrawal of it
            // counts, and approvals of the withdrawn proposal never join those of a later one with the same file.
            result.pending = try result.pending.filter { try !withdrawnSince($0.value, result.withdrawn) }
            for (digest, pending) in other.pending where try !withdrawnSince(pending, result.withdrawn) {
                if var mine = result.pending[digest] {
                    mine.approvers.formUnion(pending.approvers)
                    mine.signatures += pending.signatures.filter { !mine.signatures.contains($0) }
                    result.pending[digest] = mine
                } else {
                    result.pending[digest] = pending
                }
            }
            // Only agreements some commit since the merge base changed can differ between the sides.
            for id in (mergeCandidates.map(Array.init) ?? Array(other.agreements.keys)).sorted() {
                guard let track = other.agreements[id] else { continue }
                guard var mine = result.agreements[id] else {
                    result.agreements[id] = track
                    continue
                }
                let outcome = try mine.join(track, merge: commit, order: order, isAncestor: { try self.isAncestor($0, of: $1) })
                for copy in outcome.replays where reportedReplays.insert(copy.commit).inserted {
                    report(copy.commit, .replay, "this \(copy.kind) of \(id) by \(copy.identity) is a copy of an event already in the history (same signed payload \(copy.eventID), another commit id); merge \(short(commit)) counts it once")
                }
                if outcome.parallel {
                    report(commit, .parallelRounds, "each side of this merge began its own revision or round of \(id) since they parted; it is back in draft and must be sent again", .warning)
                }
                result.agreements[id] = mine
            }
        }
        let tainted = try choosePolicy(&result, sides: sides, commit: commit)
        if !tainted.isEmpty {
            // What a tainted policy change brought (its ratification, the keys it removed) does not carry over.
            let bad = Set(result.ratifications.filter { r in r.signatures.contains { tainted.contains($0.commit) } }.map(\.commit))
            result.ratifications.removeAll { bad.contains($0.commit) }
            result.departures = result.departures.filter { !bad.contains($0.value.commit) }
        }
        try dropTainted(&result, after: tainted, commit: commit)
        // Only a side that did not know a departure can bring events the departure rules out.
        if sides.contains(where: { side in result.departures.contains { side.departures[$0.key] != $0.value } }) {
            try dropDeparted(&result, commit: commit)
        }
        result.pending = result.pending.filter { $0.value.policy.serial > (result.policy?.serial ?? 0) }
        // Approvals of one pending change made on different branches may reach the threshold only together.
        if let threshold = result.policy?.threshold,
           let ready = result.pending.values.sorted(by: { $0.digest < $1.digest }).first(where: { $0.approvers.count >= threshold }) {
            ratify(&result, ready, at: commit, time: time)
        }
        return result
    }

    /// Whether a withdrawal of `pending`'s file is not an ancestor of the commit that proposed it.
    func withdrawnSince(_ pending: PendingPolicy, _ withdrawn: [String: [ObjectID]]) throws -> Bool {
        try (withdrawn[pending.digest] ?? []).contains { try !isAncestor($0, of: pending.commit) }
    }

    /// Policy events (changes, `policy-approve`) of `other` that are copies of events `mine` holds under another
    /// commit id: they count once (the approver sets already make them count once) and are reported as `replay`.
    func reportPolicyReplays(_ mine: RepositoryState, _ other: RepositoryState, merge: ObjectID) {
        func signed(_ state: RepositoryState) -> [Ratification.Signed] {
            state.ratifications.flatMap(\.signatures) + state.pending.values.flatMap(\.signatures)
        }
        var known: [EventID: ObjectID] = [:]
        for s in signed(mine) { if let event = s.event, known[event] == nil { known[event] = s.commit } }
        for s in signed(other) {
            guard let event = s.event, let original = known[event], original != s.commit, reportedReplays.insert(s.commit).inserted else { continue }
            report(s.commit, .replay, "this policy event is a copy of \(short(original)) (same signed payload \(event), another commit id); merge \(short(merge)) counts it once")
        }
    }

    /// The policy in force after a merge: the highest ratified serial among the sides whose policy does not rest on a
    /// signature by a key that had already left (spec section 3); two different ratified policies with one serial conflict.
    /// When every side's policy is tainted (each rests on a key the other removed), the last policy all sides share
    /// stays in force. Returns the tainted signatures, whose descendants must not count.
    func choosePolicy(_ result: inout RepositoryState, sides: [RepositoryState], commit: ObjectID) throws -> [ObjectID] {
        var best: RepositoryState?
        var tainted: [ObjectID] = []
        for side in sides where side.policy != nil {
            if let bad = try taintedRatification(side, departures: result.departures) {
                tainted.append(bad.commit)
                let left = result.departures[bad.keyBlob]
                if reportedLeft.insert(bad.commit).inserted {
                    report(bad.commit, .keyLeft, "this policy change is signed by a key of \(left?.identity ?? "?") that left the policy at \(short(left?.commit)) and is not its ancestor; merge \(short(commit)) ignores the policy it leads to")
                }
                continue
            }
            guard let current = best, let mine = current.policy, let theirs = side.policy else { best = side; continue }
            if theirs.serial > mine.serial {
                best = side
            } else if theirs.serial == mine.serial, side.policyDigest != current.policyDigest {
                report(commit, .policyConflict, "this merge joins two different ratified policies with serial \(mine.serial) (\(short(current.policyCommit)) and \(short(side.policyCommit)))")
            }
        }
        if let best {
            result.policy = best.policy
            result.policyCommit = best.policyCommit
            result.policyDigest = best.policyDigest
        } else if !tainted.isEmpty, let shared = sides.first?.ratifications.last(where: { r in sides.allSatisfy { $0.ratifications.contains { $0.commit == r.commit } } }) {
            report(commit, .policyConflict, "every side of this merge rests on a policy change by a key the other side removed; the last shared policy (serial \(shared.serial), \(short(shared.commit))) stays in force")
            result.policy = shared.policy
            result.policyCommit = shared.commit
            result.policyDigest = shared.digest
        }
        return tainted
    }

    /// Events that descend from a tainted policy change were judged under a policy that does not count: they do not count either.
    func dropTainted(_ result: inout RepositoryState, after tainted: [ObjectID], commit: ObjectID) throws {
        guard !tainted.isEmpty else { return }
        for id in result.agreements.keys.sorted() {
            guard let track = result.agreements[id] else { continue }
            var drop = Set<ObjectID>()
            for event in track.events {
                for bad in tainted where event.commit != bad {
                    guard try isAncestor(bad, of: event.commit) else { continue }
                    drop.insert(event.commit)
                    if reportedLeft.insert(event.commit).inserted {
                        report(event.commit, .keyLeft, "the \(event.kind) of \(id) rests on policy change \(short(bad)) by a key that had left the policy (brought in by merge \(short(commit))); it does not count")
                    }
                }
            }
            if !drop.isEmpty { _ = result.agreements[id]?.remove(drop, at: commit) }
        }
    }

    /// A signature on a side's policy history by a key that left the policy at a commit it does not descend from.
    func taintedRatification(_ side: RepositoryState, departures: [Data: Departure]) throws -> Ratification.Signed? {
        guard !departures.isEmpty else { return nil }
        for ratification in side.ratifications {
            for signed in ratification.signatures {
                guard let left = departures[signed.keyBlob], side.departures[signed.keyBlob] != left else { continue }
                if try !isAncestor(signed.commit, of: left.commit) { return signed }
            }
        }
        return nil
    }

    /// After a merge, events signed by a key that left count only when they are ancestors of the commit where it left;
    /// a revoked key's events do not count at all.
    func dropDeparted(_ result: inout RepositoryState, commit: ObjectID) throws {
        for (blob, left) in result.departures.sorted(by: { ($0.value.identity, $0.key.base64EncodedString()) < ($1.value.identity, $1.key.base64EncodedString()) }) {
            for id in result.agreements.keys.sorted() {
                guard let track = result.agreements[id] else { continue }
                var drop = Set<ObjectID>()
                for event in track.events(signedBy: blob) {
                    if try isAncestor(event.commit, of: left.commit) {
                        if left.revoked {
                            drop.insert(event.commit)
                        } else if let since = left.compromisedSince, try !keepsCounting(event, since: since, left: left, in: result) {
                            drop.insert(event.commit)
                            if reportedLeft.insert(event.commit).inserted {
                                report(event.commit, .revokedLater, "the \(event.kind) of \(id) by \(left.identity) does not count: its key was revoked at \(short(left.compromisedAt ?? left.commit)) as compromised since \(RFC3339.format(since)), and no time-stamp token counted by then shows the event existed before (brought in by merge \(short(commit)))", .warning)
                            }
                        }
                        continue
                    }
                    drop.insert(event.commit)
                    if reportedLeft.insert(event.commit).inserted {
                        report(event.commit, .keyLeft, "the \(event.kind) of \(id) by \(left.identity) is signed by a key that left the policy at \(short(left.commit)) and is not its ancestor (brought in by merge \(short(commit))); it does not count")
                    }
                }
                if !drop.isEmpty { _ = result.agreements[id]?.remove(drop, at: commit) }
            }
        }
    }

    /// Whether an event of a key compromised since `since` (which left at `left.commit`) counts after a merge: it has a
    /// token from before `since`, added by a timestamp event the compromise's commit descends from. A token that
    /// arrives later, on a branch or after the revocation, never brings an event back (spec section 8).
    func keepsCounting(_ event: RecordedEvent, since: Date, left: Departure, in state: RepositoryState) throws -> Bool {
        guard stampedBefore(event, since, trusted: left.trustedAuthorities ?? [], in: state), let stamp = state.trustedTimes[event.signedEventID] else { return false }
        return try isAncestor(stamp.addedBy, of: left.compromisedAt ?? left.commit)
    }

    /// Whether `commit` is `ancestor` or one of its ancestors (cached: history does not change).
    func isAncestor(_ commit: ObjectID, of descendant: ObjectID) throws -> Bool {
        if commit == descendant { return true }
        let key = [commit, descendant]
        if let known = ancestry[key] { return known }
        let answer: Bool
        do {
            answer = try repo.isDescendant(descendant, of: commit)
        } catch {
            // libgit2 could not parse a commit on the way: ask the walk that reads raw headers.
            answer = try repo.walk(from: [descendant]).contains(commit)
        }
        ancestry[key] = answer
        return answer
    }

    /// What a child needs of commit `id`: kept from the walk, or read (the commit a resumed walk starts from).
    func commitFacts(_ id: ObjectID) throws -> CommitFacts {
        if let known = facts[id] { return known }
        let info = try repo.commit(id)
        return CommitFacts(id: id, tree: info.tree, time: info.committer.time)
    }

    func report(_ commit: ObjectID, _ rule: Rule, _ message: String, _ severity: Finding.Severity = .violation) {
        findings.append(Finding(commit: commit, rule: rule, message: message, severity: severity))
    }

    func short(_ id: ObjectID?) -> String { id.map { String($0.hex.prefix(10)) } ?? "none" }
}
