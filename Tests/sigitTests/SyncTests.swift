import Foundation
import Testing

/// `sigit sync`: fetch, verify, fast-forward or signed merge (never rebase), push; through libgit2 to a real bare remote.
@Suite("sync")
struct SyncTests {
    func append(_ team: Team, clone: String, _ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: team.sandbox.path("\(clone)/\(relative)"))
        try (try String(contentsOf: url, encoding: .utf8) + text).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("fast-forward, then parallel approvals in two clones joined by a signed merge commit git verifies; both clones agree")
    func parallelApprovals() throws {
        let team = try Team()
        try team.makeRemote()
        try team.clone("other")
        let sandbox = team.sandbox
        #expect(try team.sigit(nil, "sync").check().stdout.contains("up to date"))

        try team.sigit("alice", "approve", "nda-1").check()
        let pushed = try team.sigit("alice", "sync").check().stdout
        #expect(pushed.contains("pushed"), "\(pushed)")
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))

        let forward = try sandbox.sigit("other", as: "carol", ["sync"]).check().stdout
        #expect(forward.contains("fast-forwarded"), "\(forward)")
        #expect(try team.revision("HEAD", in: "other") == (try team.tip()))
        #expect(try sandbox.git("other", "status", "--porcelain").check().stdout.isEmpty)

        // Both sign in parallel; each pushes after the other: the second must merge.
        try team.sigit("bob", "approve", "nda-1", "-m", "for us").check()
        try sandbox.sigit("other", as: "carol", ["approve", "nda-1", "-m", "for Acme"]).check()
        try team.sigit("bob", "sync").check()
        let carolTip = try team.revision("HEAD", in: "other")
        let merged = try sandbox.sigit("other", as: "carol", ["sync"]).check().stdout
        #expect(merged.contains("merged with signed merge commit") && merged.contains("pushed"), "\(merged)")
        let merge = try team.revision("HEAD", in: "other")
        let parents = try sandbox.git("other", "rev-list", "--parents", "-n", "1", "HEAD").check().stdout.split(separator: " ")
        #expect(parents.count == 3 && parents.contains { $0.hasPrefix(carolTip) }, "the merge keeps carol's commit: never a rebase")
        #expect(try sandbox.git("other", "verify-commit", "HEAD").status == 0, "stock git verifies the merge signature")
        #expect(try sandbox.git("other", "log", "-1", "--format=%(trailers:key=Sigit-Action)", "HEAD").check().stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "a merge carries no sigit event")
        let state = try sandbox.sigit("other", as: nil, ["status", "nda-1", "--json"]).check().json()["state"] as? String
        #expect(state == "completed")
        #expect(try team.revision("main", in: "remote.git") == merge)

        let back = try team.sigit("bob", "sync").check().stdout
        #expect(back.contains("fast-forwarded"), "\(back)")
        #expect(try team.tip() == merge)
        #expect(try team.status()["state"] as? String == "completed")
        #expect(try team.verify().status == 0)
        #expect(try team.sigit(nil, "sync").check().stdout.contains("up to date"))

        // A seal travels with sync, both ways, and is never overwritten.
        try team.sigit("alice", "seal", "nda-1").check()
        try team.sigit("alice", "sync").check()
        let seal = try team.revision("refs/tags/sigit/nda-1/completed", in: "repo")
        #expect(try team.revision("refs/tags/sigit/nda-1/completed", in: "remote.git") == seal)
        try sandbox.sigit("other", as: "carol", ["sync"]).check()
        #expect(try team.revision("refs/tags/sigit/nda-1/completed", in: "other") == seal)

        // Forged seals on the remote (no hook there): the local seal is kept, a bogus one is not taken.
        try sandbox.git("other", "tag", "-f", "-a", "-m", "forged", "sigit/nda-1/completed", "HEAD~1").check()
        try sandbox.git("other", "tag", "-a", "-m", "bogus", "sigit/nda-9/completed").check()
        try sandbox.git("other", "push", "-q", "-f", "origin", "refs/tags/sigit/nda-1/completed", "refs/tags/sigit/nda-9/completed").check()
        let notes = try team.sigit("alice", "sync").check().stdout
        #expect(try team.revision("refs/tags/sigit/nda-1/completed", in: "repo") == seal, "a seal is never replaced")
        #expect(notes.contains("differs from yours; yours is kept") && notes.contains("sigit/nda-9/completed was not taken"), "\(notes)")
        #expect(try team.git("tag", "--list", "sigit/nda-9/*").check().stdout.isEmpty)
    }

    @Test("a conflict in a document is named and nothing changes; local edits in a path the sync would change are refused")
    func conflict() throws {
        let team = try Team(send: false)
        try team.makeRemote()
        try team.clone("other")
        try append(team, clone: "repo", "agreements/nda-1/nda.md", "\nClause from us.\n")
        try team.sigit("bot", "draft", "nda-1", "-m", "our clause").check()
        try team.sigit("bot", "sync").check()
        try append(team, clone: "other", "agreements/nda-1/nda.md", "\nClause from them.\n")
        try team.sandbox.sigit("other", as: "bot", ["draft", "nda-1", "-m", "their clause"]).check()
        let before = try team.revision("HEAD", in: "other")
        let result = try team.sandbox.sigit("other", as: "bot", ["sync"])
        #expect(result.status != 0 && result.stderr.contains("agreements/nda-1/nda.md") && result.stderr.contains("nothing was merged"), "\(result.stderr)")
        #expect(try team.revision("HEAD", in: "other") == before)
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))

        // A fresh clone that is behind, with an uncommitted edit where the fast-forward would write.
        try team.clone("third")
        try append(team, clone: "repo", "agreements/nda-1/nda.md", "\nAnother clause.\n")
        try team.sigit("bot", "draft", "nda-1", "-m", "another").check()
        try team.sigit("bot", "sync").check()
        try append(team, clone: "third", "agreements/nda-1/nda.md", "\nmy local notes\n")
        let third = try team.revision("HEAD", in: "third")
        let refused = try team.sandbox.sigit("third", as: "bot", ["sync"])
        #expect(refused.status != 0 && refused.stderr.contains("uncommitted changes"), "\(refused.stderr)")
        #expect(try team.revision("HEAD", in: "third") == third)
        #expect(try String(contentsOfFile: team.sandbox.path("third/agreements/nda-1/nda.md"), encoding: .utf8).contains("my local notes"))
    }

    @Test("incoming history with a violation is refused with its rule and not merged; a bad remote is a clear error")
    func incomingViolation() throws {
        let team = try Team()
        try team.makeRemote()
        try team.clone("other")
        // Someone pushes an unsigned content change straight to the bare remote (no hook there).
        try append(team, clone: "other", "agreements/nda-1/nda.md", "\nSneaky clause.\n")
        try team.sandbox.git("other", "commit", "-q", "-am", "sneaky").check()
        try team.sandbox.git("other", "push", "-q", "origin", "main").check()
        let before = try team.tip()
        let result = try team.sigit("alice", "sync")
        #expect(result.status != 0 && result.stderr.contains("[unsigned]") && result.stderr.contains("nothing was merged"), "\(result.stderr)")
        #expect(try team.tip() == before)
        #expect(!(try String(contentsOfFile: team.sandbox.path("repo/agreements/nda-1/nda.md"), encoding: .utf8).contains("Sneaky")))

        // Our own unsigned change is not published either.
        try team.git("reset", "-q", "--hard", before).check()
        try append(team, clone: "repo", "agreements/nda-1/nda.md", "\nOur own unsigned clause.\n")
        try team.git("commit", "-q", "-am", "ours, unsigned").check()
        let remoteBefore = try team.revision("main", in: "remote.git")
        let outgoing = try team.sigit("alice", "sync")
        #expect(outgoing.status != 0 && outgoing.stderr.contains("your branch has 1 violation") && outgoing.stderr.contains("[unsigned]"), "\(outgoing.stderr)")
        #expect(try team.revision("main", in: "remote.git") == remoteBefore)
        try team.git("reset", "-q", "--hard", before).check()

        let missing = try team.sigit("alice", "sync", "nowhere")
        #expect(missing.status == 2 || missing.status == 3, "\(missing.status)")
        #expect(missing.stderr.contains("nowhere") && missing.stdout.isEmpty)
        let option = try team.sigit("alice", "sync", "--", "-x")
        #expect(option.status != 0 && option.stderr.contains("invalid remote"))
        #expect(try team.tip() == before)
    }
}
