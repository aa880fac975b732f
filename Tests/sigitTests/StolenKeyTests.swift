import Foundation
import Testing
import TestSupport

/// Spec section 8, the stolen-key story end to end: bob approves three agreements over months, each approval
/// time-stamped by a real TSA whose clock (and everyone's) is set by libfaketime; his key is stolen; the thief
/// backdates an approval into a fork, even gets it time-stamped, and merges it; the admins revoke bob's key as
/// compromised since a time. The three honest approvals still count and the forgery does not; `revoked: true`
/// instead would have dropped all four.
@Suite(.serialized) struct StolenKeyTests {
    static func at(_ text: String) -> Date { RFC3339Date.parse(text) }

    /// An NDA for bob and carol drafted and sent by bot (it expires 30 days later).
    static func send(_ team: Team, _ id: String) throws {
        try team.sigit("bot", "new", "nda", id, "--set", "counterparty=Acme \(id)", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", id).check()
    }

    /// The team set up in January; in March, May and July an NDA is sent, alice (legal) approves it, then bob, and
    /// bot time-stamps bob's approval five minutes later; in August nda-4 is sent and approved by legal; in
    /// November the thief forks, approves nda-4 as bob with the clock set back to August 20, stamps it and merges.
    static func story() async throws -> (Team, TSAFixture, [String: String]) {
        let tsa = try TSAFixture.shared.get()
        let team = try Team(nda: false, at: at("2026-01-05T09:00:00Z"))
        try team.trustAuthorities([("test-tsa", tsa.file("caA.pem"))])
        try team.sigit("alice", "grant", "timestamp", "bot").check()
        var approvals: [String: String] = [:]
        for (k, month) in [(1, "2026-03-02T10:00:00Z"), (2, "2026-05-04T10:00:00Z"), (3, "2026-07-06T10:00:00Z")] {
            try team.setClock(at(month))
            try send(team, "nda-\(k)")
            try team.sigit("alice", "approve", "nda-\(k)").check()
            try team.sigit("bob", "approve", "nda-\(k)").check()
            approvals["nda-\(k)"] = try team.commitID("HEAD")
            let later = at(month).addingTimeInterval(300)
            try team.setClock(later)
            try await team.stamp("HEAD", tsa: tsa, at: later)
        }
        try team.setClock(at("2026-08-10T10:00:00Z"))
        try send(team, "nda-4")
        try team.sigit("alice", "approve", "nda-4").check()
        // November: the key is stolen. The thief forks, approves nda-4 as bob with the clock set back to August,
        // gets a genuine token for it (dated November: a TSA signs its own time), and merges the fork, unsigned.
        try team.setClock(at("2026-11-20T22:00:00Z"))
        try team.git("checkout", "-q", "-b", "loot").check()
        try team.setClock(at("2026-08-20T10:00:00Z"))
        try team.sigit("bob", "approve", "nda-4").check()
        approvals["forgery"] = try team.commitID("HEAD")
        let theft = at("2026-11-20T22:05:00Z")
        try team.setClock(theft)
        try await team.stamp("HEAD", tsa: tsa, at: theft, by: "bob")
        try team.git("checkout", "-q", "main").check()
        try team.git("-c", "user.name=Mallory", "-c", "user.email=mallory@example.com", "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge loot", "loot").check()
        return (team, tsa, approvals)
    }

    /// bob's slot state in the signatures step (the first slot) of `id`.
    static func bobsSlot(_ team: Team, _ id: String) throws -> String? {
        try team.slotStates(1, id).first
    }

    @Test func honestApprovalsSurviveAndTheForgeryDoesNot() async throws {
        let (team, _, approvals) = try await Self.story()
        // Before the revocation the forgery counts: nothing in the history alone tells it from an honest approval.
        #expect(try Self.bobsSlot(team, "nda-4") == "approved")
        #expect(try team.verify().status == 0)

        try team.setClock(Self.at("2026-12-01T09:00:00Z"))
        try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", "2026-11-01T00:00:00Z").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.violations.isEmpty, "\(verdict.messages)")
        #expect(verdict.warnings.filter { $0 == "revoked-later" }.count == 1, "\(verdict.warnings)")
        for k in 1...3 { #expect(try Self.bobsSlot(team, "nda-\(k)") == "approved", "nda-\(k)") }
        #expect(try Self.bobsSlot(team, "nda-4") != "approved")
        let log = try team.sigit(nil, "verify", "--json").check().stdout
        #expect(log.contains(try #require(approvals["forgery"])))
        // bob's key signs nothing new: a fresh approval by it is key-revoked.
        try team.handApprove("bob", step: "signatures", agreement: "nda-4").check()
        #expect(try team.verify().violations == ["key-revoked"])
    }

    @Test func revokedOutrightDropsTheHonestApprovalsToo() async throws {
        let (team, _, _) = try await Self.story()
        try team.setClock(Self.at("2026-12-01T09:00:00Z"))
        try team.sigit("alice", "identity", "revoke", "bob").check()
        #expect(try team.verify().warnings.filter { $0 == "revoked-later" }.count == 4)
        for k in 1...4 { #expect(try Self.bobsSlot(team, "nda-\(k)") != "approved", "nda-\(k)") }
    }

    @Test func aTokenThatArrivesAfterTheRevocationBringsNothingBack() async throws {
        let (team, tsa, _) = try await Self.story()
        // September: bob approves nda-5 honestly, but its token (made in September, before the compromise time)
        // stays on a branch until after the revocation.
        try team.setClock(Self.at("2026-09-01T10:00:00Z"))
        try Self.send(team, "nda-5")
        try team.sigit("alice", "approve", "nda-5").check()
        try team.sigit("bob", "approve", "nda-5").check()
        try team.git("checkout", "-q", "-b", "late").check()
        try await team.stamp("HEAD", tsa: tsa, at: Self.at("2026-09-01T10:05:00Z"))
        try team.git("checkout", "-q", "main").check()
        try team.setClock(Self.at("2026-12-01T09:00:00Z"))
        try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", "2026-11-01T00:00:00Z").check()
        // Without a token when the revocation came into force, the approval is dropped (with the forgery).
        #expect(try team.verify().warnings.filter { $0 == "revoked-later" }.count == 2)
        #expect(try Self.bobsSlot(team, "nda-5") != "approved")
        // The September token arrives by a merge after the revocation: it brings nothing back.
        try team.git("-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge late", "late").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0, "\(verdict.messages)")
        #expect(try Self.bobsSlot(team, "nda-5") != "approved")
        for k in 1...3 { #expect(try Self.bobsSlot(team, "nda-\(k)") == "approved", "nda-\(k)") }
        // Control: had the token been merged before the revocation, the approval would have kept counting.
        try team.git("reset", "-q", "--hard", "HEAD~2").check()  // before the merge and the revocation
        try team.git("-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge late", "late").check()
        try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", "2026-11-01T00:00:00Z").check()
        #expect(try Self.bobsSlot(team, "nda-5") == "approved")
    }
}

/// A stolen admin key can list a TSA of its own and have it backdate tokens; the admins who revoke the key decide which
/// authorities they trust for it: only tokens from authorities the revoking policy lists keep the key's events.
@Suite(.serialized) struct StolenAdminKeyTests {
    static func story() async throws -> Team {
        let tsa = try TSAFixture.shared.get()
        let team = try Team(nda: false, at: StolenKeyTests.at("2026-01-05T09:00:00Z"))
        try team.trustAuthorities([("test-tsa", tsa.file("caA.pem"))])
        try team.sigit("alice", "grant", "admin", "carol").check()
        try team.setClock(StolenKeyTests.at("2026-08-10T10:00:00Z"))
        try StolenKeyTests.send(team, "nda-4")
        // November: the thief lists a TSA of their own with alice's key, approves nda-4's legal step as alice with the
        // clock set back to August, and has the rogue TSA date a token in August.
        try team.setClock(StolenKeyTests.at("2026-11-20T22:00:00Z"))
        try team.sigit("alice", "policy", "timestamping", "add", "rogue", "--certificate", tsa.file("caB.pem")).check()
        try team.setClock(StolenKeyTests.at("2026-08-20T10:00:00Z"))
        try team.sigit("alice", "approve", "nda-4").check()
        try team.setClock(StolenKeyTests.at("2026-11-20T22:05:00Z"))
        try await team.stamp("HEAD", tsa: tsa, at: StolenKeyTests.at("2026-08-20T10:05:00Z"), by: "alice", profile: .unlisted)
        #expect(try team.slotStates(0, "nda-4").first == "approved")
        try team.setClock(StolenKeyTests.at("2026-12-01T09:00:00Z"))
        return team
    }

    @Test func aTSAThatTheRevokingPolicyNoLongerListsVouchesForNothing() async throws {
        let team = try await Self.story()
        try team.sigit("carol", "policy", "timestamping", "remove", "rogue").check()
        try team.sigit("carol", "identity", "revoke", "alice", "--compromised-since", "2026-11-01T00:00:00Z").check()
        #expect(try team.slotStates(0, "nda-4").first != "approved")
        #expect(try team.verify().warnings.contains("revoked-later"))
    }

    @Test func whileTheRevokingPolicyStillListsIt() async throws {
        // Control, and the reason the revocation procedure removes the TSAs a stolen key listed (THREAT-MODEL 3.14):
        // a listed authority is trusted as listed.
        let team = try await Self.story()
        try team.sigit("carol", "identity", "revoke", "alice", "--compromised-since", "2026-11-01T00:00:00Z").check()
        #expect(try team.slotStates(0, "nda-4").first == "approved")
    }
}

/// A revocation made on one side of a merge is never lost because the other side (the first parent) knew only an
/// earlier retirement of the same key.
@Suite(.serialized) struct DepartureJoinTests {
    static func retiredThenForked() throws -> Team {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit("alice", "identity", "retire", "bob").check()
        try team.git("checkout", "-q", "-b", "side").check()
        return team
    }

    static func mergeSide(_ team: Team) throws {
        try team.git("checkout", "-q", "main").check()
        try team.sigit("carol", "approve", "nda-1").check()  // the first parent moves on without a policy change
        try team.git("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge side", "side").check()
    }

    @Test func aRevocationOnTheSecondParentSurvivesTheMerge() throws {
        let team = try Self.retiredThenForked()
        try team.sigit("alice", "identity", "revoke", "bob").check()
        #expect(try team.slotStates(1).first != "approved")
        try Self.mergeSide(team)
        let verdict = try team.verify()
        #expect(verdict.status == 0, "\(verdict.messages)")
        #expect(try team.slotStates(1).first != "approved", "bob's approval must stay dropped: his key is revoked on the side merged in")
        // Control: without the revocation, the retired key's earlier approval keeps counting through the merge.
        try team.git("reset", "-q", "--hard", "HEAD~2").check()
        try team.git("branch", "-q", "-f", "side", "HEAD").check()
        try Self.mergeSide(team)
        #expect(try team.slotStates(1).first == "approved")
    }

    @Test func anEarlierCompromiseTimeOnTheSecondParentSurvivesTheMerge() throws {
        let team = try Self.retiredThenForked()
        try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", "2020-01-01T00:00:00Z").check()
        #expect(try team.slotStates(1).first != "approved")
        try Self.mergeSide(team)
        #expect(try team.slotStates(1).first != "approved")
    }
}

/// RFC 3339 times for the tests (UTC, whole seconds).
enum RFC3339Date {
    static func parse(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }
}
