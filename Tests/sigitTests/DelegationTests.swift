import Foundation
import Testing

/// Delegation (spec §4): only where the step allows it, once per recipient and step, never again by the delegate,
/// never to a non-human on a humans-only step; the delegate acts with Sigit-On-Behalf-Of.
@Suite("delegation (spec §4)")
struct DelegationTests {
    /// The team's NDA with `delegation: true` on its signatures step (bob, carol), sent; dave is a human outside it.
    static func team(delegation: Bool = true) throws -> Team {
        let team = try Team(send: false)
        try team.addHuman("dave")
        if delegation {
            try team.edit("agreements/nda-1/agreement.yml") { $0.replacingOccurrences(of: "    humans-only: true\n", with: "    humans-only: true\n    delegation: true\n") }
            try team.sigit("bot", "draft", "nda-1", "-m", "allow delegation of the signatures").check()
        }
        try team.sigit("bot", "send", "nda-1").check()
        return team
    }

    /// A hand-made delegate event by `who` of `step` to `to`.
    @discardableResult
    static func handDelegate(_ team: Team, _ who: String, to: String, step: String = "signatures") throws -> RunResult {
        let message = "delegate nda-1 (step \(step)) to \(to)\n\n" + team.trailers("delegate", identity: who, step: step) + "\nSigit-Delegate: \(to)"
        return try team.routingCommit(who, message: message)
    }

    /// A hand-made approval of the signatures step by `who` acting for `principal`.
    @discardableResult
    static func handApproveFor(_ team: Team, _ who: String, for principal: String) throws -> RunResult {
        let message = "approve nda-1 (step signatures)\n\n" + team.trailers("approve", identity: who, digest: try team.digest("nda-1"), step: "signatures")
            + "\nSigit-On-Behalf-Of: \(principal)"
        return try team.routingCommit(who, message: message)
    }

    /// The slot objects of the signatures step in `sigit status --json`.
    static func signatureSlots(_ team: Team) throws -> [[String: Any]] {
        let steps = try team.status()["steps"] as? [[String: Any]] ?? []
        return steps.count > 1 ? (steps[1]["slots"] as? [[String: Any]] ?? []) : []
    }

    @Test("control: bob delegates to dave, dave approves for bob, carol approves: completed, no finding")
    func delegateAndApprove() throws {
        let team = try Self.team()
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures", "-m", "on leave").check()
        try team.sigit("alice", "approve", "nda-1").check()
        let slots = try Self.signatureSlots(team)
        #expect(slots.first?["state"] as? String == "delegated" && slots.first?["delegate"] as? String == "dave")
        let text = try team.sigit(nil, "status", "nda-1").check().stdout
        #expect(text.contains("delegated (to dave)"))
        #expect(try team.inbox("dave") == ["nda-1"])
        #expect(try team.inbox("bob").isEmpty)
        #expect(try team.sigit("bob", "approve", "nda-1").status == 2, "bob handed the step over")
        try team.sigit("dave", "approve", "nda-1").check()
        let body = try team.git("log", "-1", "--format=%B").check().stdout
        #expect(body.contains("Sigit-On-Behalf-Of: bob"))
        try team.sigit("carol", "approve", "nda-1").check()
        #expect(try team.status()["state"] as? String == "completed")
        let filled = try Self.signatureSlots(team).first
        #expect(filled?["identity"] as? String == "dave" && filled?["on-behalf-of"] as? String == "bob")
        try team.expectClean(not: "delegation")
        try team.git("verify-commit", "HEAD~1").check()
    }

    @Test("delegation: a step without delegation: true cannot be delegated")
    func stepDoesNotAllow() throws {
        let team = try Self.team(delegation: false)
        let refused = try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures")
        #expect(refused.status == 2 && refused.stderr.contains("delegation"))
        try Self.handDelegate(team, "bob", to: "dave").check()
        try team.expectViolation("delegation")
        try team.sigit("alice", "approve", "nda-1").check()
        try Self.handApproveFor(team, "dave", for: "bob").check()
        try team.expectViolation("delegation")
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("delegation: a recipient delegates a step once")
    func once() throws {
        let team = try Self.team()
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        try team.expectClean(not: "delegation")
        try Self.handDelegate(team, "bob", to: "alice").check()
        try team.expectViolation("delegation")
    }

    @Test("delegation: a delegate cannot delegate again")
    func noRedelegation() throws {
        let team = try Self.team()
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        #expect(try team.sigit("dave", "delegate", "nda-1", "--to", "alice", "--step", "signatures").status == 2)
        try Self.handDelegate(team, "dave", to: "alice").check()
        try team.expectViolation("delegation")
    }

    @Test("humans-only: no delegation to a service account on a humans-only step")
    func notToNonHuman() throws {
        let team = try Self.team()
        #expect(try team.sigit("bob", "delegate", "nda-1", "--to", "bot", "--step", "signatures").status == 2)
        try Self.handDelegate(team, "bob", to: "bot").check()
        try team.expectViolation("humans-only")
    }

    @Test("delegation: acting for a recipient without a delegation, or after delegating, does not count")
    func actingWithoutDelegation() throws {
        let team = try Self.team()
        try team.sigit("alice", "approve", "nda-1").check()
        try Self.handApproveFor(team, "dave", for: "bob").check()
        try team.expectViolation("delegation")
        #expect(try team.slotStates(1) == ["pending", "pending"])

        let second = try Self.team()
        try second.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        try second.sigit("alice", "approve", "nda-1").check()
        try second.handApprove("bob", step: "signatures").check()
        try second.expectViolation("delegation")
    }

    @Test("delegation: a delegate must not already be a recipient of the step (one identity, one slot)")
    func delegateIsRecipient() throws {
        let team = try Self.team()
        #expect(try team.sigit("bob", "delegate", "nda-1", "--to", "carol", "--step", "signatures").status == 2)
        try Self.handDelegate(team, "bob", to: "carol").check()
        try team.expectViolation("delegation")
    }

    @Test("delegations belong to a round: after a revision and a new send, the delegate no longer acts")
    func roundReset() throws {
        let team = try Self.team()
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nAmended.\n" }
        try team.sigit("bot", "draft", "nda-1").check()
        try team.sigit("bot", "send", "nda-1").check()
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try team.inbox("dave").isEmpty)
        try Self.handApproveFor(team, "dave", for: "bob").check()
        try team.expectViolation("delegation")
    }
}
