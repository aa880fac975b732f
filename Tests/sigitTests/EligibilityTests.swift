import Foundation
import Testing

/// "Who may fill this slot now" has one answer (SigitCore's `Eligibility`), shared by the verifier, `status`, `inbox`,
/// `notify` and the readiness check of `send` (issue 14, class 12; spec section 4).
@Suite("eligibility: one answer to whose turn it is")
struct EligibilityTests {
    /// The team with dave in role legal and alice allowed to draft; nda-1 is a draft revised by alice.
    static func team() throws -> Team {
        let team = try Team(nda: true, send: false)
        try team.addHuman("dave")
        try team.sigit("alice", "role", "add", "legal", "dave").check()
        try team.sigit("alice", "grant", "draft", "alice").check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nRevised by alice.\n" }
        try team.sigit("alice", "draft", "nda-1", "-m", "alice revises").check()
        return team
    }

    static func removeDaveFromLegal(_ team: Team) throws {
        try team.editPolicy { text in text.components(separatedBy: "\n").filter { $0 != "  - dave" }.joined(separator: "\n") }.check()
    }

    @Test("allow-author: the author of the revision is not asked; inbox, status and the verifier agree on who is")
    func authorIsNotPending() throws {
        let team = try Self.team()
        try team.sigit("bot", "send", "nda-1").check()
        #expect(try team.inbox("alice").isEmpty, "alice made the revision: nothing waits for her")
        #expect(try team.inbox("dave") == ["nda-1"])
        #expect(try team.slotStates(0) == ["pending"], "dave may fill the role slot")
        // The verifier gives the same answer: alice's approval is refused, dave's counts.
        #expect(try team.sigit("alice", "approve", "nda-1").status == 2)
        try team.sigit("dave", "approve", "nda-1").check()
        #expect(try team.slotStates(0) == ["approved"])
    }

    @Test("a slot nobody may fill any more is blocked in status, and inbox tells nobody it waits for them")
    func blockedSlot() throws {
        let team = try Self.team()
        try team.sigit("bot", "send", "nda-1").check()
        try team.sigit("alice", "grant", "notify", "bot").check()
        try Self.removeDaveFromLegal(team)
        #expect(try team.slotStates(0) == ["blocked"], "only alice holds role legal now, and she made the revision")
        #expect(try team.inbox("alice").isEmpty)
        #expect(try team.inbox("dave").isEmpty)
        let notify = try team.sigit("bot", "notify", "--channel", "outbox:" + team.sandbox.path("outbox"), "--dry-run", "--json")
        #expect(!notify.stdout.contains("\"alice\""), "notify must not ask alice either: \(notify.stdout)")
    }

    @Test("send refuses a workflow nobody can finish (the role's only member made the revision), and writes nothing")
    func sendRefusesUnfinishable() throws {
        let team = try Self.team()
        try Self.removeDaveFromLegal(team)
        let before = try team.tip()
        let result = try team.sigit("bot", "send", "nda-1")
        #expect(result.status == 2 && result.stderr.contains("cannot be completed"), "\(result.stderr)")
        #expect(try team.tip() == before)
    }

    @Test("control: the same workflow with a second legal member can be sent")
    func sendControl() throws {
        let team = try Self.team()
        try team.sigit("bot", "send", "nda-1").check()
        #expect(try team.status()["state"] as? String == "in-progress")
    }
}
