import Foundation
import Testing

/// `sigit review ID`: the changes since the version the reviewer last decided on (or was sent), decisions and open slots.
@Suite("review")
struct ReviewTests {
    func review(_ team: Team, _ who: String?, _ extra: String...) throws -> [String: Any] {
        try team.sigit(who, ["review", "nda-1", "--json"] + extra).check().json()
    }

    func changes(_ review: [String: Any]) -> [[String: Any]] { review["changes"] as? [[String: Any]] ?? [] }

    @Test("after a revision, alice sees the diff since her approval and that it went stale; carol (never decided) sees the version sent")
    func sinceMyApproval() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1", "-m", "looks fine").check()
        let approved = try team.tip()
        let first = try review(team, "alice")
        #expect((first["baseline"] as? [String: Any])?["reason"] as? String == "your-approval")
        #expect(changes(first).isEmpty)

        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA late clause.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "late clause").check()
        try team.sigit("bot", "send", "nda-1").check()
        let after = try review(team, "alice")
        let baseline = try #require(after["baseline"] as? [String: Any])
        #expect(baseline["commit"] as? String == approved && baseline["reason"] as? String == "your-approval")
        let now = try team.digest("nda-1")
        #expect(after["reviewer"] as? String == "alice" && after["digest"] as? String == now)
        let change = try #require(changes(after).first)
        #expect(changes(after).count == 1 && change["path"] as? String == "nda.md" && change["status"] as? String == "modified")
        #expect((change["patch"] as? String ?? "").contains("+A late clause."))
        let decision = try #require((after["decisions"] as? [[String: Any]])?.first)
        #expect(decision["identity"] as? String == "alice" && decision["current"] as? Bool == false && decision["effect"] as? String == "stale")
        #expect((after["open"] as? [String])?.isEmpty == false, "legal review is open again")

        let text = try team.sigit("alice", "review", "nda-1").check().stdout
        #expect(text.contains("changes since your approval") && text.contains("+A late clause.") && text.contains("sigit approve nda-1 --digest"))

        let carol = try review(team, "carol")
        #expect((carol["baseline"] as? [String: Any])?["reason"] as? String == "sent" && changes(carol).isEmpty)
        let since = try review(team, "carol", "--since", approved)
        #expect(changes(since).count == 1 && (since["baseline"] as? [String: Any])?["reason"] as? String == "since")
        let digest = try #require(after["digest"] as? String)
        try team.sigit("alice", "approve", "nda-1", "--digest", digest).check()
    }

    @Test("binary documents show SHA-256 old and new as sha256sum prints them; terminal escapes in a document are not echoed")
    func binaryAndHostile() throws {
        let team = try Team()
        let folder = team.sandbox.path("repo/agreements/nda-1")
        let v1 = Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3, 0, 0xFF]), v2 = Data([0x89, 0x50, 0x4E, 0x47, 0, 9, 9, 9, 0, 0xFE])
        try v1.write(to: URL(fileURLWithPath: folder + "/scan.png"))
        try team.sigit("bot", "draft", "nda-1", "-m", "scan").check()
        try team.sigit("bot", "send", "nda-1").check()
        try team.sigit("alice", "approve", "nda-1").check()
        try v2.write(to: URL(fileURLWithPath: folder + "/scan.png"))
        try team.edit("agreements/nda-1/nda.md") { $0 + "\n\u{1B}[2J\u{1B}]0;pwned\u{07}clear screen\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "new scan").check()
        let oldSum = try team.sandbox.run("/bin/sh", ["-c", "git show HEAD~1:agreements/nda-1/scan.png | sha256sum"], in: team.sandbox.path("repo")).check().stdout
        let newSum = try team.sandbox.run("/usr/bin/env", ["sha256sum", "agreements/nda-1/scan.png"], in: team.sandbox.path("repo")).check().stdout
        let review = try review(team, "alice")
        let scan = try #require(changes(review).first { $0["path"] as? String == "scan.png" })
        #expect(scan["binary"] as? Bool == true && scan["patch"] as? String == "")
        #expect(oldSum.hasPrefix(scan["oldSha256"] as? String ?? "-") && newSum.hasPrefix(scan["newSha256"] as? String ?? "-"))
        let text = try team.sigit("alice", "review", "nda-1").check().stdout
        #expect(text.contains("scan.png (binary) sha256"))
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}") && text.contains("clear screen"))
    }

    @Test("a forged commit claiming to be my approval is not my baseline: the change it hides still shows")
    func forgedBaseline() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let approved = try team.tip()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nClause 9: all rights to Mallory.\n" }
        try team.git("add", "-A").check()
        let trailers = team.trailers("approve", identity: "alice", digest: "sha256:" + String(repeating: "0", count: 64), step: "legal-review")
        try team.gitCommit(signedBy: nil, message: "approve nda-1 (step legal-review)\n\n" + trailers, allowEmpty: false).check()
        let review = try review(team, "alice")
        #expect((review["baseline"] as? [String: Any])?["commit"] as? String == approved)
        #expect(changes(review).contains { ($0["patch"] as? String ?? "").contains("Mallory") })
    }

    @Test("bad input: unknown agreement, bad revision, invalid id; nothing is written")
    func badInput() throws {
        let team = try Team()
        let before = try team.tip()
        for args in [["review", "nope"], ["review", "nda-1", "--since", "no-such-rev"], ["review", "../x"]] {
            let result = try team.sigit("alice", args)
            #expect(result.status == 2, "\(args): \(result.status) \(result.stderr)")
            #expect(!result.stderr.isEmpty && result.stdout.isEmpty)
        }
        #expect(try team.tip() == before)
    }
}
