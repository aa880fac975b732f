import Foundation
import Testing

/// The end-to-end workflow through the real binary, and interoperability with stock git.
@Suite("workflow")
struct WorkflowTests {
    @Test("an NDA goes from draft to completed and verify passes")
    func completes() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        #expect(try team.sigit(nil, "status", "nda-1", "--json").json()["state"] as? String == "in-progress")
        #expect(try team.sigit(nil, "status", "--check", "nda-1").status == 1)
        try team.sigit("carol", "approve", "nda-1").check()
        let status = try team.sigit(nil, "status", "nda-1", "--json").json()
        #expect(status["state"] as? String == "completed")
        let steps = status["steps"] as? [[String: Any]] ?? []
        let slots = (steps.last?["slots"] as? [[String: Any]]) ?? []
        #expect(slots.map { $0["state"] as? String } == ["approved", "approved"])
        #expect(try team.sigit(nil, "status", "--check", "nda-1").status == 0)
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty)
    }

    @Test("stock git verify-commit accepts every commit sigit writes")
    func gitVerifies() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let commits = try team.git("rev-list", "HEAD").check().stdout.split(separator: "\n")
        #expect(commits.count >= 9)
        for commit in commits {
            let result = try team.git("verify-commit", String(commit))
            #expect(result.status == 0, "\(commit): \(result.stderr)")
            #expect(result.stderr.contains("Good \"git\" signature"))
        }
    }

    @Test("sigit accepts an approval committed with git -c gpg.format=ssh commit -S")
    func acceptsGitApproval() throws {
        let team = try Team()
        let digest = try team.digest("nda-1")
        let message = "approve nda-1 (step legal-review)\n\n" + team.trailers("approve", identity: "alice", digest: digest, step: "legal-review")
        try team.gitCommit(signedBy: "alice", message: message, name: "Alice Example", email: "alice@example.com").check()
        let status = try team.sigit(nil, "status", "nda-1", "--json").json()
        let steps = status["steps"] as? [[String: Any]] ?? []
        #expect(steps.first?["state"] as? String == "complete")
        #expect(try team.verify().violations.isEmpty)
    }

    @Test("a refused write changes nothing and exits 2 with one line")
    func refusedWrite() throws {
        let team = try Team()
        let before = try team.git("rev-parse", "HEAD").stdout
        let result = try team.sigit("bob", "approve", "nda-1")
        #expect(result.status == 2)
        #expect(result.stderr.contains("not-recipient") || result.stderr.contains("out-of-order"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try team.git("rev-parse", "HEAD").stdout == before)
    }

    @Test("sigit draft commits a revision and leaves git status clean, so a later git commit -S keeps the tree")
    func draftKeepsIndex() throws {
        let team = try Team()
        let file = team.sandbox.path("repo/agreements/nda-1/nda.md")
        try (String(contentsOfFile: file, encoding: .utf8) + "\nAmended clause.\n").write(toFile: file, atomically: true, encoding: .utf8)
        try team.sigit("bot", "draft", "nda-1", "-m", "amend").check()
        #expect(try team.git("status", "--porcelain").stdout == "")
        #expect(try team.sigit(nil, "status", "nda-1", "--json").json()["state"] as? String == "draft")
        try team.sigit("bot", "send", "nda-1").check()
        let message = "approve nda-1 (step legal-review)\n\n" + team.trailers("approve", identity: "alice", digest: try team.digest("nda-1"), step: "legal-review")
        try team.gitCommit(signedBy: "alice", message: message, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty)
    }

    @Test("help exits 0 and usage errors exit 2 or more, never 1")
    func exitCodes() throws {
        let team = try Team(nda: false)
        #expect(try team.sigit(nil, "--help").status == 0)
        #expect(try team.sigit(nil, "approve", "--help").status == 0)
        #expect(try team.sigit(nil, "approve").status >= 2)
        #expect(try team.sigit(nil, "no-such-verb").status >= 2)
        let bad = try team.sigit("alice", "new", "nda", "Bad/../id", "--set", "counterparty=x")
        #expect(bad.status == 2 && bad.stderr.contains("invalid agreement id"))
    }
}
