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

    /// Runs `sigit hook install` again on the team's remote with `arguments`.
    @discardableResult
    func reinstall(_ team: Team, _ arguments: String...) throws -> RunResult {
        try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--sigit", Sandbox.sigitBinary] + arguments,
                             in: team.sandbox.root.path)
    }

    /// The references of the remote under `prefix`, one per line.
    func remoteRefs(_ team: Team, _ prefix: String) throws -> [String] {
        try team.sandbox.run("/usr/bin/env", ["git", "for-each-ref", "--format=%(refname)", prefix], in: team.sandbox.path("remote.git")).check()
            .stdout.split(separator: "\n").map(String.init)
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

    @Test("references outside branches and seals are refused: replace references and notes with their reason, any other tag; deleting one is accepted")
    func outsideNamespacesRefused() throws {
        let team = try team()
        // A replacement for the NDA's text: in a mirror, git show would print it while every signature still checks.
        let blob = try team.git("rev-parse", "HEAD:agreements/nda-1/nda.md").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try "Mutual NDA: the recipient owes the discloser 1,000,000 EUR.\n".write(toFile: team.sandbox.path("evil.md"), atomically: true, encoding: .utf8)
        let evil = try team.git("hash-object", "-w", team.sandbox.path("evil.md")).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("replace", blob, evil).check()
        let replaced = try push(team, "refs/replace/\(blob)")
        #expect(replaced.status != 0 && replaced.stderr.contains("refs/replace/\(blob): replace references are refused"), "\(replaced.stderr)")
        #expect(try remoteRefs(team, "refs/replace").isEmpty)

        try team.git("notes", "add", "-m", "Approved by everyone.", "HEAD").check()
        let notes = try push(team, "refs/notes/commits")
        #expect(notes.status != 0 && notes.stderr.contains("refs/notes/commits: notes are refused"), "\(notes.stderr)")
        #expect(try remoteRefs(team, "refs/notes").isEmpty)

        try team.git("tag", "v1").check()
        let tag = try push(team, "refs/tags/v1")
        #expect(tag.status != 0 && tag.stderr.contains("only branches (refs/heads/*) and seals (refs/tags/sigit/*) are accepted"), "\(tag.stderr)")
        let pull = try push(team, "HEAD:refs/pull/1/head")
        #expect(pull.status != 0 && pull.stderr.contains("--allow-ref"), "\(pull.stderr)")
        #expect(try remoteRefs(team, "refs/tags").isEmpty && (try remoteRefs(team, "refs/pull")).isEmpty)

        // One refused reference refuses the whole push (git applies all or nothing): the branch does not move either.
        try team.sigit("alice", "approve", "nda-1").check()
        let before = try team.revision("main", in: "remote.git")
        let mixed = try push(team, "main", "refs/notes/commits")
        #expect(mixed.status != 0)
        #expect(try team.revision("main", in: "remote.git") == before)

        // A stray reference that got there before the hook may be deleted: that only removes.
        try team.sandbox.run("/usr/bin/env", ["git", "hash-object", "-w", team.sandbox.path("evil.md")], in: team.sandbox.path("remote.git")).check()
        try team.sandbox.run("/usr/bin/env", ["git", "update-ref", "refs/replace/\(blob)", evil], in: team.sandbox.path("remote.git")).check()
        let deleted = try push(team, ":refs/replace/\(blob)")
        #expect(deleted.status == 0 && deleted.stderr.contains("deleted"), "\(deleted.stderr)")
        #expect(try remoteRefs(team, "refs/replace").isEmpty)
    }

    @Test("--allow-ref lets matching references through (refs/pull/* matches refs/pull/1/head), never replace references; controls: branches and sigit's seal still pass")
    func allowRef() throws {
        let team = try team()
        let install = try reinstall(team, "--allow-ref", "refs/pull/*", "--allow-ref", "refs/notes/*").check()
        #expect(install.stdout.contains("refs/pull/*, refs/notes/*"), "\(install.stdout)")
        let pull = try push(team, "HEAD:refs/pull/1/head").check()
        #expect(pull.stderr.contains("refs/pull/1/head: allowed by refs/pull/*"), "\(pull.stderr)")
        #expect(try remoteRefs(team, "refs/pull") == ["refs/pull/1/head"])
        try team.git("notes", "add", "-m", "reviewed in the meeting", "HEAD").check()
        try push(team, "refs/notes/commits").check()
        let other = try push(team, "HEAD:refs/merge-requests/1/head")
        #expect(other.status != 0 && other.stderr.contains("only branches"), "\(other.stderr)")

        try reinstall(team, "--allow-ref", "refs/*").check()
        let commit = try team.tip()
        try team.git("replace", commit, "HEAD~1").check()
        let replaced = try push(team, "refs/replace/\(commit)")
        #expect(replaced.status != 0 && replaced.stderr.contains("replace references are refused"), "\(replaced.stderr)")
        try team.git("replace", "-d", commit).check()

        // Controls: a new branch with a name that merely ends like the protected one, then a completed agreement and its seal.
        try push(team, "main:feature/main").check()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        try push(team, "main").check()
        try team.sigit("alice", "seal", "nda-1").check()
        let sealed = try push(team, "refs/tags/sigit/nda-1/completed").check()
        #expect(sealed.stderr.contains("seal ok"), "\(sealed.stderr)")

        let bad = try reinstall(team, "--allow-ref", "pull/*")
        #expect(bad.status == 2 && bad.stderr.contains("invalid --allow-ref pattern"), "\(bad.stderr)")
        let replace = try reinstall(team, "--allow-ref", "refs/tags/x", "--allow-ref", "refs/replace/*")
        #expect(replace.status == 2 && replace.stderr.contains("replace references are never accepted"), "\(replace.stderr)")
        let stored = try team.sandbox.run("/usr/bin/env", ["git", "config", "sigit.allowRef"], in: team.sandbox.path("remote.git")).check().stdout
        #expect(stored == "refs/*\n", "a refused install changes nothing")
    }

    /// Names that git could read as the protected branch `main` (or the seal namespace), each pushed on its own.
    static let shadows = ["refs/tags/main", "refs/remotes/origin/main", "refs/heads/refs/heads/main", "refs/heads/heads/main",
                          "refs/main", "refs/heads/MAIN", "refs/heads/HEAD", "refs/heads/sigit/nda-1/completed"]

    @Test("a reference that shadows the protected branch is refused whatever --allow-ref says", arguments: shadows)
    func shadowRefused(_ name: String) throws {
        let team = try team()
        try reinstall(team, "--allow-ref", "refs/*").check()
        // The pushed commit is the branch's own, signed tip: only the name is wrong.
        let refused = try push(team, "main:\(name)")
        #expect(refused.status != 0 && refused.stderr.contains("\(name): shadows"), "\(refused.stderr)")
        #expect(try remoteRefs(team, name).isEmpty)
    }

    @Test("sigit resolves main to the branch when a tag main exists (verify, verify A..B, certificate --at, export --at); stock git reads the tag")
    func tagDoesNotShadowBranch() throws {
        let team = try Team()
        let branch = try team.tip()
        // A tag named main on an unsigned edit: stock git (and libgit2's own lookup) reads `main` as this tag.
        try team.git("checkout", "-q", "--detach").check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA clause nobody signed.\n" }
        try team.git("commit", "-q", "-am", "unsigned edit").check()
        try team.git("tag", "main").check()
        let tagged = try team.tip()
        try team.git("switch", "-q", "main").check()
        let stock = try team.git("rev-parse", "main").check()
        #expect(stock.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == tagged, "the attack is real: git reads the tag")

        let verify = try team.sigit(nil, "verify", "main")
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try team.sigit(nil, "verify", "main~1..main").check().stdout.contains("1 commit checked"))
        let certificate = try team.sigit(nil, "certificate", "nda-1", "--at", "main", "--format", "json").check().json()
        #expect((certificate["repository"] as? [String: Any])?["commit"] as? String == branch, "\(certificate)")
        // The tag is still there for whoever names it in full.
        #expect(try team.sigit(nil, "verify", "refs/tags/main").status == 1)
        #expect(try team.sigit(nil, "verify", "tags/main").status == 1)
        try team.sigit(nil, "export", "nda-1", "--at", "main", "-o", team.sandbox.path("package")).check()
    }
}
