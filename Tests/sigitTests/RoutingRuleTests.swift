import Foundation
import Testing

/// Routing rules of format v1 §4, built with stock git and checked by `sigit verify`.
@Suite("routing (spec §4)")
struct RoutingRuleTests {
    // MARK: out-of-order

    @Test("out-of-order: bob approves signatures before legal-review is complete")
    func outOfOrder() throws {
        let team = try Team()
        try team.handApprove("bob", step: "signatures").check()
        try team.expectViolation("out-of-order")
        #expect(try team.slotStates(1) == ["waiting", "waiting"])
    }

    @Test("out-of-order control: bob approves signatures after legal-review")
    func outOfOrderControl() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.handApprove("bob", step: "signatures").check()
        try team.expectClean(not: "out-of-order")
        #expect(try team.slotStates(1) == ["approved", "pending"])
    }

    // MARK: not-recipient

    @Test("not-recipient: carol approves legal-review")
    func notRecipient() throws {
        let team = try Team()
        try team.handApprove("carol", step: "legal-review").check()
        try team.expectViolation("not-recipient")
    }

    @Test("not-recipient: bob approves signatures twice; the second is a violation")
    func notRecipientTwice() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.handApprove("bob", step: "signatures").check()
        try team.expectClean(not: "not-recipient")
        try team.handApprove("bob", step: "signatures").check()
        try team.expectViolation("not-recipient")
        #expect(try team.status()["state"] as? String == "in-progress")
    }

    @Test("not-recipient control: alice (role legal) approves legal-review")
    func notRecipientControl() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectClean(not: "not-recipient")
    }

    // MARK: digest-mismatch

    @Test("digest-mismatch: approval with a wrong Sigit-Digest")
    func digestMismatch() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review", digest: "sha256:" + String(repeating: "0", count: 64)).check()
        try team.expectViolation("digest-mismatch")
        #expect(try team.slotStates(0) != ["approved"])
    }

    @Test("digest-mismatch control: approval with the current digest")
    func digestMismatchControl() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectClean(not: "digest-mismatch")
        #expect(try team.slotStates(0) == ["approved"])
    }

    // MARK: not-in-progress

    @Test("not-in-progress: approving a draft")
    func notInProgress() throws {
        let team = try Team(send: false)
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectViolation("not-in-progress")
    }

    @Test("not-in-progress control: approving after send")
    func notInProgressControl() throws {
        let team = try Team(send: true)
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectClean(not: "not-in-progress")
    }

    // MARK: humans-only

    /// A team whose NDA names `ourSigner` in the signatures step, drafted by bot and sent.
    private func team(ourSigner: String) throws -> Team {
        let team = try Team(nda: false)
        try team.sigit("bot", "new", "nda", "nda-1", "--set", "counterparty=Acme", "--set", "our_signer=\(ourSigner)", "--set", "their_signer=carol").check()
        // sigit send refuses a workflow nobody can finish (a humans-only slot held by a service): sent with stock git,
        // so the verifier's own rule is what is tested.
        try team.handSend("bot").check()
        try team.sigit("alice", "approve", "nda-1").check()
        return team
    }

    @Test("humans-only: the service account bot approves the signatures step")
    func humansOnly() throws {
        let team = try team(ourSigner: "bot")
        try team.handApprove("bot", step: "signatures").check()
        try team.expectViolation("humans-only")
        #expect(try team.slotStates(1).first != "approved")
    }

    @Test("humans-only control: the human bob approves the same step")
    func humansOnlyControl() throws {
        let team = try team(ourSigner: "bob")
        try team.handApprove("bob", step: "signatures").check()
        try team.expectClean(not: "humans-only")
        #expect(try team.slotStates(1).first == "approved")
    }

    // MARK: allow-author

    @Test("allow-author: alice drafts the NDA and then approves legal-review")
    func allowAuthor() throws {
        let team = try Team(nda: false)
        try team.sigit("alice", "grant", "draft", "alice").check()
        try team.sigit("alice", "new", "nda", "nda-1", "--set", "counterparty=Acme", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        // sigit send refuses it (alice, the author, is the only member of legal): sent with stock git instead.
        #expect(try team.sigit("alice", "send", "nda-1").status == 2)
        try team.handSend("alice").check()
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectViolation("allow-author")
        #expect(try team.slotStates(0) != ["approved"])
    }

    @Test("allow-author control: bot drafts, alice approves legal-review")
    func allowAuthorControl() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectClean(not: "allow-author")
    }

    // MARK: send-state

    @Test("send-state: a second send while in progress")
    func sendState() throws {
        let team = try Team()
        try team.handSend("bot").check()
        try team.expectViolation("send-state")
    }

    @Test("send-state control: one hand-made send of a draft")
    func sendStateControl() throws {
        let team = try Team(send: false)
        try team.handSend("bot").check()
        try team.expectClean(not: "send-state")
        #expect(try team.status()["state"] as? String == "in-progress")
    }

    // MARK: unknown-agreement

    @Test("unknown-agreement: approving nda-9, which does not exist")
    func unknownAgreement() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review", agreement: "nda-9", digest: try team.digest("nda-1")).check()
        try team.expectViolation("unknown-agreement")
    }

    @Test("unknown-agreement control: the same approval of nda-1")
    func unknownAgreementControl() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review", agreement: "nda-1", digest: try team.digest("nda-1")).check()
        try team.expectClean(not: "unknown-agreement")
    }

    // MARK: terminal

    private func editNDA(_ team: Team) throws {
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nAn extra clause.\n" }
        try team.routingCommit("bot", message: "edit nda-1", allowEmpty: false, all: true).check()
    }

    @Test("terminal: bot edits nda.md after completion")
    func terminal() throws {
        let team = try Team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        try editNDA(team)
        try team.expectViolation("terminal")
    }

    @Test("terminal control: the same edit while in progress returns to draft")
    func terminalControl() throws {
        let team = try Team()
        for who in ["alice", "bob"] { try team.sigit(who, "approve", "nda-1").check() }
        try editNDA(team)
        try team.expectClean(not: "terminal")
        #expect(try team.status()["state"] as? String == "draft")
    }

    // MARK: agreement-invalid

    @Test("agreement-invalid: bot commits an agreement.yml with an unknown key")
    func agreementInvalid() throws {
        let team = try Team()
        try team.edit("agreements/nda-1/agreement.yml") { $0 + "surprise: 1\n" }
        try team.routingCommit("bot", message: "edit nda-1", allowEmpty: false, all: true).check()
        try team.expectViolation("agreement-invalid")
    }

    @Test("agreement-invalid control: bot commits a valid agreement.yml change")
    func agreementInvalidControl() throws {
        let team = try Team()
        try team.edit("agreements/nda-1/agreement.yml") { $0 + "# a comment\n" }
        try team.routingCommit("bot", message: "edit nda-1", allowEmpty: false, all: true).check()
        try team.expectClean(not: "agreement-invalid")
    }

    // MARK: expired

    /// Re-drafts nda-1 with `expires: <value>`, sends it, then alice approves 2 hours in the future.
    private func approveLate(expires: String) throws -> Team {
        let team = try Team()
        try team.edit("agreements/nda-1/agreement.yml") { $0.replacingOccurrences(of: "expires: 30d", with: "expires: \(expires)") }
        try team.sigit("bot", "draft", "nda-1", "-m", "shorter deadline").check()
        // sigit draft leaves the index at the old revision; resync it so the empty approve commit keeps the tree.
        try team.git("reset", "-q").check()
        try team.sigit("bot", "send", "nda-1").check()
        let later = Int(Date().timeIntervalSince1970) + 2 * 3600
        let date = "@\(later) +0000"
        try team.handApprove("alice", step: "legal-review", extra: ["GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date]).check()
        return team
    }

    @Test("expired: approval two hours after a one-minute deadline")
    func expired() throws {
        let team = try approveLate(expires: "1m")
        try team.expectViolation("expired")
    }

    @Test("expired control: the same approval under a one-day deadline")
    func expiredControl() throws {
        let team = try approveLate(expires: "1d")
        try team.expectClean(not: "expired")
    }

    // MARK: behaviours

    @Test("require 1 with a role slot: alice's approval completes legal-review")
    func requireOneRole() throws {
        let team = try Team()
        try team.sigit("alice", "role", "add", "legal", "carol").check()
        var steps = try team.status()["steps"] as? [[String: Any]] ?? []
        #expect(steps.first?["state"] as? String != "complete")
        #expect(try team.status()["current-step"] as? String == "legal-review")
        try team.sigit("alice", "approve", "nda-1").check()
        let status = try team.status()
        steps = status["steps"] as? [[String: Any]] ?? []
        #expect(steps.first?["state"] as? String == "complete")
        #expect(status["current-step"] as? String == "signatures")
        #expect(try team.slotStates(1) == ["pending", "pending"])
        #expect(try team.verify().status == 0)
    }

    @Test("a content change returns to draft and makes earlier approvals stale")
    func contentChangeStale() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        let before = try team.digest("nda-1")
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA new clause.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "new clause").check()
        let status = try team.status()
        #expect(status["state"] as? String == "draft")
        #expect(status["digest"] as? String != before)
        #expect(try team.slotStates(0) == ["stale"])
        #expect(try team.slotStates(1).first == "stale")
        #expect(try team.verify().violations.isEmpty)
    }

    @Test("parallel approvals on two branches joined by a merge count once each")
    func parallelMerge() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sandbox.run("/usr/bin/env", ["git", "clone", "-q", "repo", "clone"], in: team.sandbox.root.path).check()
        let clone = "clone"
        try team.sandbox.git(clone, "checkout", "-q", "-b", "bob-branch").check()
        try team.sandbox.sigit(clone, as: "bob", ["approve", "nda-1"]).check()
        try team.sandbox.git(clone, "checkout", "-q", "-b", "carol-branch", "origin/main").check()
        try team.sandbox.sigit(clone, as: "carol", ["approve", "nda-1"]).check()
        try team.sandbox.git(clone, "-c", "user.name=Merger", "-c", "user.email=merger@example.com", "merge", "-q", "--no-edit", "--no-ff", "bob-branch").check()
        let status = try team.sandbox.sigit(clone, as: nil, ["status", "nda-1", "--json"]).json()
        #expect(status["state"] as? String == "completed")
        let steps = status["steps"] as? [[String: Any]] ?? []
        let slots = (steps.last?["slots"] as? [[String: Any]]) ?? []
        #expect(slots.compactMap { $0["state"] as? String } == ["approved", "approved"])
        #expect(slots.compactMap { $0["identity"] as? String } == ["bob", "carol"])
        let verify = try team.sandbox.sigit(clone, as: nil, ["verify", "--json"])
        #expect(verify.status == 0, "\(verify.stdout)")
        let violations = (try verify.json()["violations"] as? [[String: Any]]) ?? []
        #expect(violations.isEmpty)
    }

    @Test("inbox lists nda-1 for alice only before legal approval")
    func inbox() throws {
        let team = try Team()
        #expect(try team.inbox("alice") == ["nda-1"])
        #expect(try team.inbox("bob").isEmpty)
        #expect(try team.inbox("carol").isEmpty)
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try team.inbox("alice").isEmpty)
        #expect(try team.inbox("bob") == ["nda-1"])
        #expect(try team.inbox("carol") == ["nda-1"])
    }

    @Test("concurrent sigit approve by bob and carol: both land, or one fails cleanly with exit 2")
    func concurrentApprove() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let before = try team.git("rev-parse", "HEAD").check().stdout
        var processes: [(String, SpawnedProcess)] = []
        for who in ["bob", "carol"] {
            var env = team.sandbox.environment
            env["SIGIT_SIGNING_KEY"] = team.sandbox.path("keys/\(who)")
            processes.append((who, try SpawnedProcess(Sandbox.sigitBinary, ["-C", team.sandbox.path(team.repo), "approve", "nda-1"],
                                                      environment: env, scratch: team.sandbox.path("approve-\(who)"))))
        }
        var outcome: [String: Int32] = [:]
        for (who, process) in processes {
            let status = process.wait()
            outcome[who] = status
            #expect(status == 0 || status == 2, "\(who): \(status) \(process.stderr)")
        }
        let states = try team.slotStates(1)
        let landed = ["bob", "carol"].filter { outcome[$0] == 0 }
        #expect(!landed.isEmpty)
        // Every approval that reported success is in the history.
        let slots = ((try team.status()["steps"] as? [[String: Any]])?.last?["slots"] as? [[String: Any]]) ?? []
        for who in landed {
            #expect(slots.contains { $0["identity"] as? String == who && $0["state"] as? String == "approved" }, "\(who)'s approval was lost: \(states)")
        }
        if landed.count == 2 { #expect(try team.status()["state"] as? String == "completed") }
        let log = try team.git("rev-list", "--count", "\(before.trimmingCharacters(in: .whitespacesAndNewlines))..HEAD").check().stdout
        #expect(Int(log.trimmingCharacters(in: .whitespacesAndNewlines)) == landed.count)
        #expect(try team.git("status", "--porcelain").check().stdout.isEmpty)
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty, "\(verify.violations) \(verify.messages)")
    }
}
