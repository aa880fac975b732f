import Foundation
import GitKit
@testable import SigitCore

extension ReferenceModel {
    /// Spec 2: paths under `.sigit/` and `agreements/` where the merge is not the clean file-level three-way merge.
    /// Unrelated histories (no merge base, or one without the trust root) are never clean: every path where the merge
    /// differs from any parent counts.
    func mergeChanges(_ f: ModelFacts, tree: ModelTree, parentTrees: [ModelTree]) throws -> Changes {
        var base: ObjectID? = f.parents.first
        for parent in f.parents.dropFirst() {
            guard let known = base else { break }
            base = try repo.mergeBase(known, parent)
        }
        let roots = f.parents.compactMap { states[$0]?.root }
        var related = base != nil
        if let base, let root = roots.first {
            related = try isAncestor(root, of: base)
        } else if base != nil, roots.isEmpty {
            related = true  // before any trust root nothing is protected yet
        }
        var changes = Changes()
        func all(_ t: ModelTree) -> [String: ModelTree.Entry] { t.files.merging(t.hostile) { a, _ in a } }
        let mine = all(tree)
        let theirs = parentTrees.map(all)
        var paths = Set(mine.keys)
        for t in theirs { paths.formUnion(t.keys) }
        guard related, let base else {
            for path in paths.sorted() where theirs.contains(where: { $0[path] != mine[path] }) { changes.add(path) }
            return changes
        }
        let baseTree = all(try self.tree(try fact(base).tree))
        paths.formUnion(baseTree.keys)
        for path in paths.sorted() {
            let sides = theirs.map { $0[path] }
            let changed = sides.filter { $0 != baseTree[path] }
            let expected: ModelTree.Entry??
            if changed.isEmpty {
                expected = .some(baseTree[path])
            } else if changed.allSatisfy({ $0 == changed[0] }) {
                expected = .some(changed[0])
            } else {
                expected = nil  // both sides changed it differently: any result is a content change
            }
            if let expected, expected == mine[path] { continue }
            // Section 8: both sides stamped one event; keeping either side's token file is clean.
            if expected == nil, path.hasPrefix(Changes.timestampFolder + "/"), ReferenceModel.eventHex(String(path.dropFirst(Changes.timestampFolder.count + 1).dropLast(4))) != nil,
               path.hasSuffix(".tsr"), let kept = mine[path], kept.mode & 0o170000 == 0o100000, sides.contains(kept) { continue }
            changes.add(path)
        }
        return changes
    }

    /// Spec 4, "Joining at merges": combines what counted on each side; nothing is judged again.
    func join(_ sides: [ModelState], merge f: ModelFacts) throws -> ModelState {
        guard var result = sides.first else { return ModelState() }
        var knewApart = false
        for other in sides.dropFirst() {
            if result.root == nil { result = other; continue }
            guard let otherRoot = other.root else { continue }
            if otherRoot != result.root {
                report(f.id, "trust-root", "two trust roots")
                continue
            }
            // Event identities: a second commit carrying an event the first side counted is a replay.
            for (event, commit) in other.counted.sorted(by: { $0.value < $1.value }) {
                if let mine = result.counted[event] {
                    if mine != commit { report(commit, "replay", "event already counted as \(mine.hex.prefix(10))", at: f.id) }
                } else {
                    result.counted[event] = commit
                }
            }
            // Policy: the highest ratified serial.
            if let theirs = other.policy, let mine = result.policy {
                if theirs.serial > mine.serial {
                    result.policy = theirs
                    result.policyDigest = other.policyDigest
                } else if theirs.serial == mine.serial, other.policyDigest != result.policyDigest {
                    report(f.id, "policy-conflict", "two ratified policies with serial \(mine.serial)")
                }
            }
            if result.departures != other.departures { knewApart = true }
            // A key that left on both sides: the first side's departure commit with the stronger verdict (revoked,
            // else the earlier compromise time with the commit that set it), so no revocation is lost at a merge.
            result.departures.merge(other.departures) { a, b in
                if a.revoked || b.revoked { return ModelState.Departure(commit: a.commit, revoked: true) }
                let earlier = (b.compromisedSince ?? .distantFuture) < (a.compromisedSince ?? .distantFuture) ? b : a
                return ModelState.Departure(commit: a.commit, revoked: false, compromisedSince: earlier.compromisedSince, compromisedAt: earlier.compromisedAt)
            }
            // Section 8: what a token may cover, and the counted tokens (the earlier genTime where both have one).
            result.signedEvents.merge(other.signedEvents) { a, _ in a }
            result.trustedTimes.merge(other.trustedTimes) { a, b in b.genTime < a.genTime ? b : a }
            result.withdrawn.merge(other.withdrawn) { $0.union($1) }
            // Only a proposal made after every withdrawal of its file counts.
            func withdrawn(_ pending: ModelState.Pending, _ digest: String) throws -> Bool {
                try (result.withdrawn[digest] ?? []).contains { try !isAncestor($0, of: pending.commit) }
            }
            result.pending = try result.pending.filter { try !withdrawn($0.value, $0.key) }
            for (digest, pending) in other.pending where try !withdrawn(pending, digest) {
                if var known = result.pending[digest] {
                    known.approvers.formUnion(pending.approvers)
                    known.events.merge(pending.events) { a, _ in a }
                    result.pending[digest] = known
                } else {
                    result.pending[digest] = pending
                }
            }
            for id in other.agreements.keys.sorted() {
                guard let theirs = other.agreements[id] else { continue }
                guard let mine = result.agreements[id] else {
                    result.agreements[id] = theirs
                    continue
                }
                result.agreements[id] = try joinAgreement(mine, theirs, merge: f, counted: result.counted)
            }
        }
        if knewApart { try dropCompromised(&result, merge: f) }
        let serial = result.policy?.serial ?? 0
        result.pending = result.pending.filter { $0.value.policy.serial > serial }
        if let policy = result.policy,
           let (digest, ready) = result.pending.sorted(by: { $0.key < $1.key }).first(where: { $0.value.approvers.count >= policy.threshold }) {
            result.signedEvents.merge(ready.events) { a, _ in a }
            ratify(&result, policy: ready.policy, digest: digest, at: f.id, time: Date(timeIntervalSince1970: TimeInterval(f.time)))
        }
        return result
    }

    /// One agreement at a merge, per round.
    /// Epochs are events: a side's epoch carried by another commit (a replay) is placed where the first side counted it.
    func joinAgreement(_ mine: ModelAgreement, _ theirs: ModelAgreement, merge f: ModelFacts, counted: [Data: ObjectID]) throws -> ModelAgreement {
        let mineEpoch = counted[mine.epoch.event] ?? mine.epoch.commit
        let theirsEpoch = counted[theirs.epoch.event] ?? theirs.epoch.commit
        if mine.epoch.event == theirs.epoch.event {
            var out = mine
            for step in theirs.fills.keys.sorted() {
                for fill in theirs.fills[step] ?? [] {
                    let list = out.fills[step] ?? []
                    let acting = Set([fill.identity, fill.onBehalfOf].compactMap { $0 })
                    if list.contains(where: { $0.slot == fill.slot || !acting.isDisjoint(with: [$0.identity, $0.onBehalfOf].compactMap { $0 }) }) { continue }
                    // A fill beyond the step's quorum is not needed and counts nothing (FORMAT.md: `not-needed`).
                    if let needed = out.workflow.first(where: { $0.name == step })?.needed, list.count >= needed { continue }
                    out.fills[step, default: []].append(fill)
                }
            }
            for (step, byRecipient) in theirs.delegations {
                out.delegations[step] = (out.delegations[step] ?? [:]).merging(byRecipient) { a, _ in a }
            }
            out.tamperedAt = mine.tamperedAt ?? theirs.tamperedAt
            let phases = [mine.phase, theirs.phase]
            if phases.contains(.voided) {
                out.phase = .voided
            } else if phases.contains(.declined) {
                out.phase = .declined
                out.declinedBy = mine.phase == .declined ? mine.declinedBy : theirs.declinedBy
                out.declinedEvent = mine.phase == .declined ? mine.declinedEvent : theirs.declinedEvent
            } else if phases.contains(.completed) {
                out.phase = .completed
                out.completedAt = mine.completedAt ?? theirs.completedAt
            } else if out.phase == .inProgress, out.currentStep == nil {
                out.phase = .completed
                out.completedAt = f.id
            }
            return out
        }
        let voided = mine.phase == .voided || theirs.phase == .voided
        var out: ModelAgreement
        if try isAncestor(theirsEpoch, of: mineEpoch) {
            out = mine
        } else if try isAncestor(mineEpoch, of: theirsEpoch) {
            out = theirs
        } else {
            // Parallel drafts or sends: no round is current; back to draft (a warning, not a violation).
            out = mine
            out.phase = .draft
            out.authors = mine.authors.union(theirs.authors)
            out.fills = [:]
            out.delegations = [:]
            out.sendDigest = nil
            out.sender = nil
            out.declinedBy = nil
            out.completedAt = nil
            out.epoch = ModelAgreement.Epoch(event: f.eventID, commit: f.id)
            let merged = try tree(f.tree)
            if let digest = try digest(mine.id, in: merged), case .success(let spec) = try spec(mine.id, in: merged) {
                out.digest = digest
                out.spec = spec
            }
        }
        if voided { out.phase = .voided }
        return out
    }
}
