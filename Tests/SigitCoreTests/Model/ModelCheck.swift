import Foundation
import GitKit
@testable import SigitCore

/// Writes one history from a script and compares the ledger with the reference model on it.
struct ModelCheck {
    /// What one run found.
    struct Outcome {
        var mismatches: [String]
        var log: [String]
        var commits: Int
        var tip: ObjectID
        /// Seconds spent writing, in the model, in the ledger.
        var seconds: [String: Double] = [:]
        /// The model's agreement states at the tip.
        var phases: [String] = []
        /// Counted slot fills by the invitee at the tip (section 9), and the invitee's enrolled passkeys there.
        var inviteeFills = 0
        var inviteeKeys = 0
        /// Section 8: the most trusted times counted at a checkpoint, and the agreement events of keys compromised
        /// since a time that still count at the tip (stamped before it).
        var stamped = 0
        var compromisedKept = 0
    }

    let kinds: Set<MutationKind>
    /// Compare at every commit instead of at the tip and every merge.
    var everyCommit = false
    /// Compare at every merge too (joins are where the rules differ most); off for long histories.
    var atMerges = true
    /// Also check the ledger against itself (signature cache, snapshot resume); the test does it on every third history.
    var selfChecks = true

    /// The per-agreement view compared: state, content digest, counted fills as step:identity:on-behalf-of.
    static func view(phase: String, digest: String, fills: [String], tampered: Bool) -> String {
        "\(phase)\(tampered ? " tampered" : "") \(digest.prefix(15)) [\(fills.joined(separator: ", "))]"
    }

    static func ledgerView(_ state: RepositoryState) -> [String: String] {
        var out: [String: String] = [:]
        for (id, track) in state.agreements where !track.events.isEmpty {
            let fills = track.fills.flatMap { step, list in list.map { "\(step):\($0.event.identity):\($0.event.onBehalfOf ?? "-")" } }.sorted()
            out[id] = view(phase: track.phase.rawValue, digest: track.digest, fills: fills, tampered: track.tamperedAt != nil)
        }
        return out
    }

    static func modelView(_ state: ModelState) -> [String: String] {
        state.agreements.mapValues { view(phase: $0.phase.rawValue, digest: $0.digest, fills: $0.fillSet, tampered: $0.tamperedAt != nil) }
    }

    func run(_ script: [HistoryOp]) throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sigit-model-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = try Repository.initialize(dir)
        let runner = try HistoryRunner(repo: repo, kinds: kinds)
        var clock = Date()
        var seconds: [String: Double] = [:]
        func lap(_ what: String) {
            seconds[what, default: 0] += Date().timeIntervalSince(clock)
            clock = Date()
        }
        let tip = try runner.run(script)
        lap("write")
        let model = ReferenceModel(repository: repo)
        let order = try repo.walk(from: [tip])
        var mismatches: [String] = []
        var stamped = 0
        let checkpoints = try order.filter { id in try everyCommit || id == tip || (atMerges && repo.parents(of: id).count > 1) }
        let short = { (id: ObjectID) in String(id.hex.prefix(8)) }
        func describe(_ ids: Set<ObjectID>, rules: [ObjectID: [String]]) -> String {
            ids.sorted().map { "\(short($0)) (\((rules[$0] ?? []).joined(separator: ",")))" }.joined(separator: "; ")
        }
        for point in checkpoints {
            lap("other")
            let modelState = try model.state(at: point)
            let modelBad = try model.violatingCommits(upTo: point)
            lap("model")
            let cold: Ledger.Result
            do {
                cold = try Ledger(repository: repo).run(tip: point)
            } catch {
                // Spec 2, hostile objects: a bad object must never stop the verifier.
                mismatches.append("at \(short(point)): the ledger stopped: \(error)")
                break
            }
            lap("ledger")
            let ledgerBad = Set(cold.findings.filter { $0.severity == .violation }.map(\.commit))
            let at = "at \(short(point))"
            if modelBad != ledgerBad {
                var modelRules: [ObjectID: [String]] = [:]
                for v in model.violations { modelRules[v.commit, default: []].append("\(v.rule): \(v.reason)") }
                var ledgerRules: [ObjectID: [String]] = [:]
                for f in cold.findings where f.severity == .violation { ledgerRules[f.commit, default: []].append("\(f.rule.rawValue): \(f.message.prefix(200))") }
                mismatches.append("\(at): violations only in the model: \(describe(modelBad.subtracting(ledgerBad), rules: modelRules)); only in the ledger: \(describe(ledgerBad.subtracting(modelBad), rules: ledgerRules))")
            }
            // Section 8: the trusted times counted (event → genTime) and the commits warned of clock skew.
            let modelTimes = Self.times(modelState.trustedTimes.map { (ReferenceModel.hex($0.key), $0.value.genTime) })
            let ledgerTimes = Self.times(cold.state.trustedTimes.map { ($0.key.hex, $0.value.genTime) })
            if modelTimes != ledgerTimes {
                mismatches.append("\(at): trusted times only in the model: \(modelTimes.subtracting(ledgerTimes).sorted()); only in the ledger: \(ledgerTimes.subtracting(modelTimes).sorted())")
            }
            let modelSkew = try model.warnedCommits("clock-skew", upTo: point)
            let ledgerSkew = Set(cold.findings.filter { $0.rule == .clockSkew }.map(\.commit))
            if modelSkew != ledgerSkew {
                mismatches.append("\(at): clock-skew only in the model: \(modelSkew.subtracting(ledgerSkew).map(short).sorted()); only in the ledger: \(ledgerSkew.subtracting(modelSkew).map(short).sorted())")
            }
            stamped = max(stamped, modelTimes.count)
            let mine = Self.modelView(modelState)
            let theirs = Self.ledgerView(cold.state)
            for id in Set(mine.keys).union(theirs.keys).sorted() where mine[id] != theirs[id] {
                mismatches.append("\(at): \(id): model \(mine[id] ?? "absent") / ledger \(theirs[id] ?? "absent")")
            }
        }
        // The ledger agrees with itself: cold, through the signature cache (written, then read), and resumed from a
        // state snapshot on a straight line of commits.
        let atTip = try model.state(at: tip)
        let phases = atTip.agreements.values.map { $0.phase.rawValue + ($0.tamperedAt == nil ? "" : " (tampered)") }
        let inviteeFills = atTip.agreements.values.map { $0.fills.values.joined().filter { $0.identity == ModelCast.invitee }.count }.reduce(0, +)
        let inviteeKeys = atTip.policy?.identities[ModelCast.invitee]?.keys.count ?? 0
        let compromised = Set(atTip.departures.filter { $0.value.compromisedSince != nil }.keys)
        let compromisedKept = atTip.signedEvents.values.filter { $0.agreement != nil && compromised.contains($0.keyBlob) }.count
        guard selfChecks, let cold = try? Ledger(repository: repo).run(tip: tip) else {
            return Outcome(mismatches: mismatches, log: runner.writer.log.map(\.1), commits: order.count, tip: tip, seconds: seconds, phases: phases, inviteeFills: inviteeFills, inviteeKeys: inviteeKeys, stamped: stamped, compromisedKept: compromisedKept)
        }
        for pass in ["cache written", "cache read"] {
            let warm = Ledger(repository: repo)
            warm.signatureCache = SignatureCache(gitDir: repo.gitDir)
            let result = try warm.run(tip: tip)
            if Set(result.findings.map { "\($0.commit) \($0.rule)" }) != Set(cold.findings.map { "\($0.commit) \($0.rule)" }) || Self.ledgerView(result.state) != Self.ledgerView(cold.state) {
                mismatches.append("ledger with the signature cache (\(pass)) differs from the cold ledger")
            }
        }
        var line = tip
        var steps = 0
        while steps < 3, let parents = try? repo.parents(of: line), parents.count == 1 {
            line = parents[0]
            steps += 1
        }
        if steps > 0 {
            let base = try Ledger(repository: repo).run(tip: line)
            let snapshot = StateSnapshot(tip: line, orderEnd: base.orderEnd, state: base.state)
            if let resumed = try Ledger(repository: repo).resume(from: snapshot, tip: tip), Self.ledgerView(resumed.state) != Self.ledgerView(cold.state) {
                mismatches.append("ledger resumed from a snapshot at \(short(line)) differs from the cold ledger")
            }
        }
        lap("ledger")
        return Outcome(mismatches: mismatches, log: runner.writer.log.map(\.1), commits: order.count, tip: tip, seconds: seconds, phases: phases, inviteeFills: inviteeFills, inviteeKeys: inviteeKeys, stamped: stamped, compromisedKept: compromisedKept)
    }

    /// Trusted times as `event hex @ genTime` (milliseconds), for comparing.
    static func times(_ pairs: [(String, Date)]) -> Set<String> {
        Set(pairs.map { "\($0.0.prefix(12))@\(String(format: "%.3f", $0.1.timeIntervalSince1970))" })
    }

    /// Drops operations one at a time while some mismatch remains: the smallest script found.
    func shrink(_ script: [HistoryOp], budget: Int = 120) throws -> [HistoryOp] {
        var current = script
        var tries = 0
        var index = current.count - 1
        while index >= 0, tries < budget {
            var candidate = current
            candidate.remove(at: index)
            tries += 1
            if try !run(candidate).mismatches.isEmpty { current = candidate }
            index = min(index - 1, current.count - 1)
        }
        return current
    }
}
