import Foundation
import Testing

/// `sigit hook install` and the pre-receive hook, with a real bare repository and real `git push`.
@Suite("hook")
struct HookTests {
    /// A team whose bare remote runs the hook; returns the stderr of the install.
    func team() throws -> Team {
        let team = try Team()
        try team.makeRemote()
        try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--sigit", Sandbox.sigitBinary],
                             in: team.sandbox.root.path).check()
        return team
    }

    func push(_ team: Team, _ arguments: String...) throws -> RunResult {
        try team.git(["push", "origin"] + arguments)
    }

    @Test("a clean push is accepted and reported; an unsigned content change is refused with its rule, and the remote does not move")
    func unsignedRefused() throws {
        let team = try team()
        try team.sigit("alice", "approve", "nda-1").check()
        let ok = try push(team, "main").check()
        #expect(ok.stderr.contains("remote: sigit: refs/heads/main: ok"), "\(ok.stderr)")
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))

        let accepted = try team.tip()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nSneaky clause.\n" }
        try team.git("commit", "-q", "-am", "sneaky").check()
        let refused = try push(team, "main")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("remote: sigit: refs/heads/main: violation") && refused.stderr.contains("[unsigned]"), "\(refused.stderr)")
        #expect(refused.stderr.contains("pre-receive hook declined"))
        #expect(try team.revision("main", in: "remote.git") == accepted)
        let verdict = try team.sandbox.run("/usr/bin/env", ["git", "cat-file", "-e", try team.tip()], in: team.sandbox.path("remote.git"))
        #expect(verdict.status != 0, "the refused objects stay in quarantine and are dropped")
    }

    @Test("an approval by a key outside the policy and a policy change without admins are refused, on any branch")
    func unauthorizedRefused() throws {
        let team = try team()
        try team.handApprove("mallory", step: "legal-review").check()
        let stranger = try push(team, "main")
        #expect(stranger.status != 0 && stranger.stderr.contains("[unknown-key]"), "\(stranger.stderr)")
        try team.git("reset", "-q", "--hard", "HEAD~1").check()

        try team.git("checkout", "-q", "-b", "topic").check()
        try team.edit(".sigit/policy.yml") { $0.replacingOccurrences(of: "serial: ", with: "serial: 1") }
        try team.routingCommit("bob", message: "bob edits the policy", all: true).check()
        let policy = try push(team, "topic")
        #expect(policy.status != 0 && policy.stderr.contains("refs/heads/topic: violation") && policy.stderr.contains("[admin-only]"), "\(policy.stderr)")
        let branches = try team.sandbox.run("/usr/bin/env", ["git", "branch", "--list", "topic"], in: team.sandbox.path("remote.git")).check().stdout
        #expect(branches.isEmpty)
    }

    @Test("a protected branch is never rewound or deleted; forged seals are refused and a seal is never moved; controls: a new branch and sigit's seal are accepted")
    func protectedRefs() throws {
        let team = try team()
        try team.sigit("alice", "approve", "nda-1").check()
        try push(team, "main").check()
        let remoteTip = try team.revision("main", in: "remote.git")
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        try team.sigit("alice", "approve", "nda-1", "-m", "again, differently").check()
        let forced = try push(team, "--force", "main")
        #expect(forced.status != 0 && forced.stderr.contains("not a fast-forward"), "\(forced.stderr)")
        #expect(try team.revision("main", in: "remote.git") == remoteTip)
        let deleted = try push(team, ":main")
        #expect(deleted.status != 0 && deleted.stderr.contains("deleting a protected branch"), "\(deleted.stderr)")

        try team.git("reset", "-q", "--hard", remoteTip).check()
        try team.git("push", "-q", "origin", "main:review/x").check()
        try team.git("push", "-q", "origin", ":review/x").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit("carol", "approve", "nda-1").check()
        try push(team, "main").check()
        // Forged seals: unsigned, signed by a key outside the policy, lightweight, on the wrong commit.
        try team.git("tag", "-a", "-m", "forged", "sigit/nda-1/completed").check()
        let unsigned = try push(team, "refs/tags/sigit/nda-1/completed")
        #expect(unsigned.status != 0 && unsigned.stderr.contains("the seal is not signed"), "\(unsigned.stderr)")
        try team.git("tag", "-d", "sigit/nda-1/completed").check()
        try team.git("-c", "gpg.format=ssh", "-c", "user.signingkey=\(team.sandbox.path("keys/mallory"))", "tag", "-s", "-m", "forged", "sigit/nda-1/completed").check()
        let stranger = try push(team, "refs/tags/sigit/nda-1/completed")
        #expect(stranger.status != 0 && stranger.stderr.contains("which no policy of this history lists"), "\(stranger.stderr)")
        try team.git("tag", "-d", "sigit/nda-1/completed").check()
        try team.git("-c", "gpg.format=ssh", "-c", "user.signingkey=\(team.sandbox.path("keys/alice"))", "tag", "-s", "-m", "early", "sigit/nda-1/completed", "HEAD~1").check()
        let early = try push(team, "refs/tags/sigit/nda-1/completed")
        #expect(early.status != 0 && early.stderr.contains("must point to the commit that completed nda-1"), "\(early.stderr)")
        try team.git("tag", "-d", "sigit/nda-1/completed").check()
        try team.git("tag", "sigit/nda-1/other").check()
        let light = try push(team, "refs/tags/sigit/nda-1/other")
        #expect(light.status != 0 && light.stderr.contains("only seals named"), "\(light.stderr)")

        try team.sigit("alice", "seal", "nda-1").check()
        let sealed = try push(team, "refs/tags/sigit/nda-1/completed").check()
        #expect(sealed.stderr.contains("seal ok"))
        let moved = try push(team, "--force", "HEAD~1:refs/tags/sigit/nda-1/completed")
        #expect(moved.status != 0 && moved.stderr.contains("a seal is never moved"), "\(moved.stderr)")
    }

    @Test("install refuses a foreign hook and a missing binary; a different history (other trust root) is refused")
    func installAndRoot() throws {
        let team = try team()
        let hook = team.sandbox.path("remote.git/hooks/pre-receive")
        #expect(try String(contentsOfFile: hook, encoding: .utf8).contains("hook pre-receive"))
        try "#!/bin/sh\nexit 0\n".write(toFile: hook, atomically: true, encoding: .utf8)
        let foreign = try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--sigit", Sandbox.sigitBinary], in: team.sandbox.root.path)
        #expect(foreign.status == 2 && foreign.stderr.contains("not written by sigit"), "\(foreign.stderr)")
        let missing = try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--force", "--sigit", "/nonexistent/sigit"], in: team.sandbox.root.path)
        #expect(missing.status == 2 && missing.stderr.contains("not an executable"))
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == "#!/bin/sh\nexit 0\n", "a refused install writes nothing")
        try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--force", "--sigit", Sandbox.sigitBinary], in: team.sandbox.root.path).check()

        // A second, unrelated sigit repository pushed to a new branch: another trust root.
        let other = try Team()
        let replaced = try other.git("push", team.sandbox.path("remote.git"), "main:elsewhere")
        #expect(replaced.status != 0 && replaced.stderr.contains("history replaced"), "\(replaced.stderr)")
        let branches = try team.sandbox.run("/usr/bin/env", ["git", "branch", "--list", "elsewhere"], in: team.sandbox.path("remote.git")).check().stdout
        #expect(branches.isEmpty)
    }

    @Test("bad input: pre-receive refuses lines it cannot read, and outside a hook it names GIT_DIR; nothing moves")
    func preReceiveBadInput() throws {
        let team = try team()
        let before = try team.revision("main", in: "remote.git")
        let script = "printf 'not a ref update\\n' | GIT_DIR=. '\(Sandbox.sigitBinary)' hook pre-receive"
        let garbled = try team.sandbox.run("/bin/sh", ["-c", script], in: team.sandbox.path("remote.git"))
        #expect(garbled.status == 2 && garbled.stderr.contains("cannot read the line"), "\(garbled.stderr)")
        let outside = try team.sandbox.run("/bin/sh", ["-c", "GIT_DIR=/nonexistent '\(Sandbox.sigitBinary)' hook pre-receive < /dev/null"], in: team.sandbox.root.path)
        #expect(outside.status == 2 && outside.stderr.contains("GIT_DIR"), "\(outside.stderr)")
        let protect = try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--protect", "../x"], in: team.sandbox.root.path)
        #expect(protect.status == 2 && protect.stderr.contains("invalid branch name"), "\(protect.stderr)")
        #expect(try team.revision("main", in: "remote.git") == before)
    }
}
