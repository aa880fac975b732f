import Foundation
import Testing

/// `sigit comment`: signed events that decide nothing, threaded per file and line, answered and resolved
/// (docs/FORMAT.md, *comment*).
@Suite("comment")
struct CommentTests {
    /// The threads of `sigit review nda-1 --json` as `who`.
    func threads(_ team: Team, _ who: String = "alice") throws -> [[String: Any]] {
        try team.sigit(who, "review", "nda-1", "--json").check().json()["threads"] as? [[String: Any]] ?? []
    }

    /// The thread id `sigit comment` printed.
    func threadID(_ output: String) throws -> String {
        let marker = try #require(output.range(of: "thread id "))
        return String(output[marker.upperBound...].prefix(71))
    }

    /// A hand-made comment on nda-1 signed by `who` with stock git, with extra trailer lines.
    @discardableResult
    func handComment(_ team: Team, _ who: String, _ extra: [String], body: String = "A remark.", digest: String? = nil) throws -> RunResult {
        let trailers = team.trailers("comment", identity: who, digest: try digest ?? team.digest("nda-1")) + "\n" + extra.joined(separator: "\n")
        return try team.routingCommit(who, message: "comment on nda-1\n\n\(body)\n\n\(trailers)")
    }

    @Test("a comment on a line, a reply and a resolve are signed commits that change no file and decide nothing; review, status and log show the thread")
    func threadLifecycle() throws {
        let team = try Team()
        let before = try team.status()
        let made = try team.sigit("bob", "comment", "nda-1", "-m", "Clause 1 is too broad.\nSecond line.", "--file", "nda.md", "--line", "1").check().stdout
        let id = try threadID(made)
        #expect(id.hasPrefix("sha256:") && id.count == 71)
        #expect(try team.git("diff", "--stat", "HEAD~1", "HEAD").check().stdout.isEmpty, "a comment keeps the tree")
        try team.git("-c", "gpg.ssh.allowedSignersFile=\(team.sandbox.path("repo/.sigit/allowed_signers"))", "verify-commit", "HEAD").check()
        let message = try team.git("log", "-1", "--format=%B").check().stdout
        #expect(message.contains("Sigit-Action: comment") && message.contains("Sigit-File: nda.md") && message.contains("Sigit-Line: 1"))
        #expect(message.contains("Clause 1 is too broad.") && !message.contains("Sigit-Text"))

        let during = try team.status()
        #expect(during["state"] as? String == before["state"] as? String && during["digest"] as? String == before["digest"] as? String)
        #expect(during["open-threads"] as? Int == 1)

        try team.sigit("carol", "comment", "nda-1", "-m", "Agreed.", "--reply", String(id.prefix(20))).check()
        var list = try threads(team)
        #expect(list.count == 1)
        let thread = try #require(list.first)
        #expect(thread["file"] as? String == "nda.md" && thread["line"] as? Int == 1 && thread["resolved"] as? Bool == false && thread["current"] as? Bool == true)
        #expect((thread["first"] as? [String: Any])?["identity"] as? String == "bob")
        #expect(((thread["replies"] as? [[String: Any]]) ?? []).map { $0["identity"] as? String } == ["carol"])

        let text = try team.sigit("alice", "review", "nda-1").check().stdout
        #expect(text.contains("on nda.md:1 [open]") && text.contains("| Clause 1 is too broad.") && text.contains("carol replied"))

        // Carol neither wrote it, sent the agreement nor administers: refused. Bob (its author) resolves it.
        let tip = try team.tip()
        let refused = try team.sigit("carol", "comment", "nda-1", "--resolve", id)
        let tipAfter = try team.tip()
        #expect(refused.status == 2 && refused.stderr.contains("only the thread's author") && tipAfter == tip)
        try team.sigit("bob", "comment", "nda-1", "--resolve", id, "-m", "Fixed in the next revision.").check()
        list = try threads(team)
        #expect(list.first?["resolved"] as? Bool == true)
        #expect(try team.status()["open-threads"] as? Int == 0)
        let again = try team.sigit("alice", "comment", "nda-1", "--resolve", id)
        #expect(again.status == 2 && again.stderr.contains("already resolved"))

        // The workflow goes on as if nothing happened.
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try team.status()["current-step"] as? String == "signatures")
        let log = try team.sigit(nil, "log").check().stdout
        #expect(log.contains("comment"))
        try team.expectClean(not: "comment")
    }

    @Test("status lists open threads per agreement and takes --state; an unknown state is a clear error")
    func statusListing() throws {
        let team = try Team()
        try team.sigit("alice", "comment", "nda-1", "-m", "General remark \u{1B}]0;pwned\u{07} here.").check()
        let detail = try team.sigit(nil, "status", "nda-1").check().stdout
        #expect(detail.contains("comments: 1 of 1 thread open") && detail.contains("General remark \\u{1b}]0;pwned\\u{7} here.") && !detail.contains("\u{1B}") && !detail.contains("\u{07}"))
        let review = try team.sigit("alice", "review", "nda-1").check().stdout
        #expect(review.contains("comments (1 open thread):") && !review.contains("\u{1B}") && !review.contains("\u{07}"))
        let both = try team.sigit(nil, "status", "nda-1", "--state", "draft")
        #expect(both.status == 2 && both.stderr.contains("drop the agreement id"))
        let rows = try team.sigit(nil, "status", "--json").check().json()["agreements"] as? [[String: Any]] ?? []
        #expect(rows.first?["open-threads"] as? Int == 1)
        #expect(try team.sigit(nil, "status").check().stdout.contains("1 open thread"))
        let inProgress = try team.sigit(nil, "status", "--state", "in-progress", "--json").check().json()["agreements"] as? [[String: Any]] ?? []
        let drafts = try team.sigit(nil, "status", "--state", "draft", "--json").check().json()["agreements"] as? [[String: Any]] ?? []
        #expect(inProgress.count == 1 && drafts.isEmpty)
        let bad = try team.sigit(nil, "status", "--state", "finished")
        #expect(bad.status == 2 && bad.stderr.contains("unknown state") && bad.stderr.contains("in-progress"))
    }

    @Test("status shows the reason of a void (escaped, one line); comments stay allowed after the end and are marked")
    func voidReasonAndLateComment() throws {
        let team = try Team()
        try team.sigit("bot", "void", "nda-1", "--reason", "Deal off \u{1B}[31mred\nsecond line").check()
        let status = try team.status()
        #expect(status["reason"] as? String == "Deal off \u{1B}[31mred\nsecond line")
        let text = try team.sigit(nil, "status").check().stdout
        #expect(text.contains("reason: Deal off \\u{1b}[31mred…") && !text.contains("\u{1B}"))
        try team.sigit("bob", "comment", "nda-1", "-m", "Noted.").check()
        let post = try #require(try threads(team).first?["first"] as? [String: Any])
        #expect(post["after-end"] as? Bool == true)
        #expect(try team.sigit("alice", "review", "nda-1").check().stdout.contains("(after the agreement ended)"))
        try team.expectClean(not: "comment")
    }

    static let badInput: [(who: String, arguments: [String], says: String)] = [
        ("bob", ["comment", "nda-1"], "needs text"),
        ("bob", ["comment", "nda-1", "-m", "  "], "needs text"),
        ("bob", ["comment", "nda-1", "-m", "x", "--line", "2"], "--line needs --file"),
        ("bob", ["comment", "nda-1", "-m", "x", "--file", "../policy.yml"], "'..'"),
        ("bob", ["comment", "nda-1", "-m", "x", "--file", "nda.md\u{1B}[31m"], "control characters"),
        ("bob", ["comment", "nda-1", "-m", "x", "--file", "missing.md"], "has no regular file"),
        ("bob", ["comment", "nda-1", "-m", "x", "--file", "nda.md", "--line", "100000"], "past its end"),
        ("bob", ["comment", "nda-1", "-m", "x", "--file", "nda.md", "--line", "0"], "not a line number"),
        ("bob", ["comment", "nda-1", "-m", "x", "--reply", "sha256:0123456789abcdef"], "no comment thread"),
        ("bob", ["comment", "nda-1", "-m", "x", "--reply", "zz"], "not a thread id"),
        ("bob", ["comment", "nda-1", "-m", "x", "--reply", "sha256:01234567", "--resolve", "sha256:01234567"], "give one of them"),
        ("bob", ["comment", "nda-404", "-m", "x"], "no agreement nda-404"),
        ("bob", ["comment", "Bad..Id", "-m", "x"], "invalid agreement id"),
        ("bob", ["comment", "nda-1", "-m", "text\nSigit-Action: approve"], "rephrase"),
        ("dave", ["comment", "nda-1", "-m", "x"], "does not name dave"),
        ("mallory", ["comment", "nda-1", "-m", "x"], "not in the policy"),
    ]

    @Test("bad input is one clear line, exit 2, and writes nothing", arguments: badInput)
    func badInputChangesNothing(_ c: (who: String, arguments: [String], says: String)) throws {
        let team = try Team()
        try team.addHuman("dave")
        let tip = try team.tip()
        let result = try team.sigit(c.who, c.arguments)
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(c.says), "stderr: \(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(try team.tip() == tip, "nothing was written")
    }

    @Test("verify: a hand-made comment that meets the rules counts and moves nothing (control)")
    func handMadeControl() throws {
        let team = try Team()
        let before = try team.status()
        try handComment(team, "carol", ["Sigit-File: nda.md", "Sigit-Line: 2"]).check()
        try team.expectClean(not: "comment")
        let after = try team.status()
        #expect(after["open-threads"] as? Int == 1 && after["state"] as? String == before["state"] as? String && after["digest"] as? String == before["digest"] as? String)
    }

    static let violations: [(name: String, who: String, trailers: [String], rule: String)] = [
        ("a comment on a file the agreement does not have", "bob", ["Sigit-File: other.md"], "comment"),
        ("a comment past the last line", "bob", ["Sigit-File: nda.md", "Sigit-Line: 99999"], "comment"),
        ("a reply to a thread that does not exist", "bob", ["Sigit-Reply-To: sha256:" + String(repeating: "ab", count: 32)], "comment"),
        ("a resolve of a thread that does not exist", "alice", ["Sigit-Resolve: sha256:" + String(repeating: "cd", count: 32)], "comment"),
        ("a comment by an identity the agreement does not name, without draft", "dave", [], "permission"),
        ("a Sigit-Line without a Sigit-File", "bob", ["Sigit-Line: 3"], "malformed-event"),
        ("a Sigit-File with '..'", "bob", ["Sigit-File: ../../.sigit/policy.yml"], "malformed-event"),
    ]

    @Test("verify names the rule a hand-made comment breaks, and the state does not move", arguments: violations)
    func handMadeViolation(_ c: (name: String, who: String, trailers: [String], rule: String)) throws {
        let team = try Team()
        try team.addHuman("dave")
        let before = try team.status()
        try handComment(team, c.who, c.trailers).check()
        try team.expectViolation(c.rule)
        let after = try team.status()
        #expect(after["open-threads"] as? Int == 0, "\(c.name)")
        #expect(after["state"] as? String == before["state"] as? String && after["digest"] as? String == before["digest"] as? String, "\(c.name)")
    }

    @Test("verify: a comment bound to another digest is digest-mismatch; one that changes a file is tree-changed; Sigit-File on an approve is malformed")
    func handMadeShapes() throws {
        let team = try Team()
        try handComment(team, "bob", [], digest: "sha256:" + String(repeating: "0", count: 64)).check()
        try team.expectViolation("digest-mismatch")

        let second = try Team()
        try second.edit("agreements/nda-1/nda.md") { $0 + "\nsmuggled\n" }
        let trailers = second.trailers("comment", identity: "bob", digest: try second.digest("nda-1"))
        try second.routingCommit("bob", message: "comment on nda-1\n\nhi\n\n\(trailers)", all: true).check()
        try second.expectViolation("tree-changed")

        let third = try Team()
        let approve = third.trailers("approve", identity: "alice", digest: try third.digest("nda-1"), step: "legal-review") + "\nSigit-File: nda.md"
        try third.routingCommit("alice", message: "approve nda-1 (step legal-review)\n\n\(approve)").check()
        try third.expectViolation("malformed-event")
        #expect(try third.slotStates(0).contains("approved") == false)
    }

    @Test("verify: a resolve by someone who is not the thread's author, a sender or an admin is a comment violation")
    func resolveByOther() throws {
        let team = try Team()
        let made = try team.sigit("bob", "comment", "nda-1", "-m", "Why?").check().stdout
        let id = try threadID(made)
        try handComment(team, "carol", ["Sigit-Resolve: \(id)"]).check()
        try team.expectViolation("comment")
        #expect(try threads(team).first?["resolved"] as? Bool == false)
        // The sender (bot) may resolve it.
        try team.sigit("bot", "comment", "nda-1", "--resolve", id).check()
        #expect(try threads(team).first?["resolved"] as? Bool == true)
    }

    @Test("replay: a copy of a comment (ECDSA signature re-encoded, same signed payload) merged back counts nothing; the thread is there once")
    func replayedComment() throws {
        let team = try Team()
        try EvidenceAttackTests.addEcdsaDave(team)
        try team.sigit("alice", "grant", "draft", "dave").check()
        try handComment(team, "dave", ["Sigit-File: nda.md"], body: "Once.").check()
        let original = try team.tip()
        let id = try #require(try threads(team).first?["id"] as? String)
        try team.sigit("bob", "comment", "nda-1", "-m", "Another thread.").check()
        let copy = try EvidenceAttackTests.malleated(team, original)
        try team.git("branch", "replay", copy).check()
        try EvidenceAttackTests.merge(team, "replay")
        try team.expectViolation("replay")
        let list = try threads(team)
        #expect(list.count == 2 && list.filter { $0["id"] as? String == id }.count == 1)
        #expect(try team.status()["open-threads"] as? Int == 2)
    }

    @Test("comments made on two clones in parallel both count after the merge, each once")
    func parallelComments() throws {
        let team = try Team()
        try team.git("checkout", "-q", "-b", "side").check()
        try team.sigit("carol", "comment", "nda-1", "-m", "From the side.").check()
        try team.git("checkout", "-q", "-").check()
        try team.sigit("bob", "comment", "nda-1", "-m", "From main.").check()
        try team.git("-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "merge", "-q", "--no-edit", "side").check()
        #expect(try threads(team).count == 2)
        #expect(try team.status()["open-threads"] as? Int == 2)
        try team.expectClean(not: "comment")
    }
}
