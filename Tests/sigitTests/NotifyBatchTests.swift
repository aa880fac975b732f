import Foundation
import Testing

/// docs/FORMAT.md section 6, *One event per run*: `sigit notify` records every notice it delivered in one signed
/// notify event, one trailer group per notice; the verifier counts each group, all or none.
@Suite("notify: one event per run")
struct NotifyBatchTests {
    /// The NotifyTests team with nda-2 and nda-3 sent too, and nda-1 past its legal review (bob and carol are due).
    static func busyTeam() throws -> Team {
        let team = try NotifyTests.team()
        for id in ["nda-2", "nda-3"] {
            try team.sigit("bot", "new", "nda", id, "--set", "counterparty=Other", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
            try team.sigit("bot", "send", id).check()
        }
        try team.sigit("alice", "approve", "nda-1").check()
        return team
    }

    /// A notify message by hand: the header, then the groups.
    static func batch(_ groups: [String]) -> String {
        "notify: by hand\n\nSigit-Version: 1\nSigit-Action: notify\nSigit-Identity: bot\n" + groups.joined(separator: "\n")
    }

    static func group(_ agreement: String, _ recipient: String, step: String? = "legal-review", notice: String = "request", channel: String = "outbox") -> String {
        "Sigit-Agreement: \(agreement)\n" + (step.map { "Sigit-Step: \($0)\n" } ?? "") + "Sigit-Recipient: \(recipient)\nSigit-Notice: \(notice)\nSigit-Channel: \(channel)"
    }

    @Test("a run that delivers four notices writes one signed commit with four groups; stock git verifies it; a second run sends nothing")
    func oneCommitPerRun() throws {
        let team = try Self.busyTeam()
        let before = try team.tip()
        let run = try NotifyTests.notify(team, "--channel", "outbox:\(team.sandbox.path("outbox"))")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(NotifyTests.pairs(run.report, "delivered") == ["alice:request", "alice:request", "bob:request", "carol:request"])
        let commits = ((run.report["delivered"] as? [[String: Any]]) ?? []).compactMap { $0["commit"] as? String }
        #expect(commits.count == 4 && Set(commits).count == 1, "every notice names the one event: \(commits)")
        #expect(try team.git("rev-list", "--count", "\(before)..HEAD").check().stdout == "1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("outbox")).count == 4)
        let recipients = try team.git("log", "-1", "--format=%(trailers:key=Sigit-Recipient,valueonly)").check().stdout
        #expect(recipients.split(separator: "\n").sorted() == ["alice", "alice", "bob", "carol"], "\(recipients)")
        #expect(try team.git("log", "-1", "--format=%s").check().stdout.hasPrefix("notify: 4 notices (nda-1, nda-2, nda-3)"))
        try team.git("-c", "gpg.ssh.allowedSignersFile=.sigit/allowed_signers", "verify-commit", "HEAD").check()
        try team.expectClean(not: "malformed-event")
        for id in ["nda-1", "nda-2", "nda-3"] {
            #expect(try team.sigit(nil, "log", id).check().stdout.contains("notify"), "\(id)")
        }
        let head = try team.tip()
        let second = try NotifyTests.notify(team, "--channel", "outbox:\(team.sandbox.path("outbox"))")
        #expect(second.status == 0 && NotifyTests.pairs(second.report, "delivered").isEmpty)
        #expect(try team.tip() == head && (try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("outbox")).count) == 4)
    }

    @Test("a batch made with stock git counts every group; an old single-notice event still counts")
    func handMadeCounts() throws {
        let team = try Self.busyTeam()
        try team.routingCommit("bot", message: Self.batch([Self.group("nda-2", "alice"), Self.group("nda-1", "bob", step: "signatures")])).check()
        let legacy = "notify nda-3\n\n" + team.trailers("notify", identity: "bot", agreement: "nda-3", step: "legal-review")
            + "\nSigit-Recipient: alice\nSigit-Notice: request\nSigit-Channel: outbox"
        try team.routingCommit("bot", message: legacy).check()
        try team.expectClean(not: "malformed-event")
        let planned = try NotifyTests.notify(team, "--dry-run", "--channel", "outbox:\(team.sandbox.path("outbox"))")
        #expect(NotifyTests.pairs(planned.report, "planned") == ["carol:request"], "only nda-1 to carol is left")
    }

    @Test("a batch with one bad group is a violation and counts none of its groups")
    func badGroupCountsNothing() throws {
        for (bad, rule) in [(Self.group("nda-2", "casper"), "malformed-event"), (Self.group("nda-9", "alice"), "unknown-agreement")] {
            let team = try Self.busyTeam()
            try team.routingCommit("bot", message: Self.batch([Self.group("nda-3", "alice"), bad])).check()
            try team.expectViolation(rule)
            let planned = try NotifyTests.notify(team, "--dry-run", "--channel", "outbox:\(team.sandbox.path("outbox"))")
            #expect(NotifyTests.pairs(planned.report, "planned") == ["alice:request", "alice:request", "bob:request", "carol:request"], "\(rule)")
        }
        // Without the notify permission, the whole batch is a permission violation.
        let team = try Self.busyTeam()
        try team.routingCommit("carol", message: Self.batch([Self.group("nda-3", "alice"), Self.group("nda-2", "alice")]).replacingOccurrences(of: "Identity: bot", with: "Identity: carol")).check()
        try team.expectViolation("permission")
    }

    @Test("a batch recording one notice twice is malformed-event; control: two different notices are clean")
    func malformedBatches() throws {
        let team = try Self.busyTeam()
        let duplicate = Self.batch([Self.group("nda-3", "alice"), Self.group("nda-3", "alice")])
        try team.routingCommit("bot", message: duplicate).check()
        try team.expectViolation("malformed-event")
        let control = try Self.busyTeam()
        try control.routingCommit("bot", message: Self.batch([Self.group("nda-3", "alice"), Self.group("nda-2", "alice")])).check()
        try control.expectClean(not: "malformed-event")
    }

    @Test("a batch with two notices of one agreement, written on a branch and merged beside other events of that agreement, counts both")
    func batchAcrossMerge() throws {
        let team = try Self.busyTeam()
        try team.git("checkout", "-q", "-b", "side").check()
        let run = try NotifyTests.notify(team, "--channel", "outbox:\(team.sandbox.path("outbox"))")
        #expect(run.status == 0 && NotifyTests.pairs(run.report, "delivered").count == 4, "\(run.stderr)")
        try team.git("checkout", "-q", "main").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit("alice", "approve", "nda-2").check()
        try EvidenceAttackTests.merge(team, "side")
        try team.expectClean(not: "replay")
        // nda-1: bob approved, carol's request came with the batch (its second notice of nda-1); nda-3's came too;
        // nda-2's signatures step began on main after the batch.
        let planned = try NotifyTests.notify(team, "--dry-run", "--channel", "outbox:\(team.sandbox.path("outbox"))")
        #expect(NotifyTests.pairs(planned.report, "planned") == ["bob:request", "carol:request"], "\(planned.report)")
        let agreements = ((planned.report["planned"] as? [[String: Any]]) ?? []).compactMap { $0["agreement"] as? String }
        #expect(agreements == ["nda-2", "nda-2"])
    }
}
