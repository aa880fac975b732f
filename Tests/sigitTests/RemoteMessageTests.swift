import Foundation
import Testing

/// What `sigit sync` and the pre-receive hook tell the user: what was pushed, without transfer noise; what to run
/// after a refusal.
@Suite("sync and hook messages")
struct RemoteMessageTests {
    @Test("sync says which branch moved from where to where and which seals it pushed; no Counting objects unless --verbose")
    func syncReportsPushes() throws {
        let team = try Team()
        try team.makeRemote()
        try team.clone("other")
        let before = try team.tip()
        try team.sigit("alice", "approve", "nda-1").check()
        let approved = try team.tip()
        let pushed = try team.sigit(nil, "sync").check().stdout
        #expect(pushed.contains("main \(before.prefix(12))..\(approved.prefix(12))"), "\(pushed)")
        #expect(!pushed.contains("objects"), "\(pushed)")

        // A fetch that brings commits: no progress lines by default; --verbose shows them.
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit(nil, "sync").check()
        let quiet = try team.sandbox.sigit("other", as: nil, ["sync"]).check().stdout
        #expect(quiet.contains("fast-forwarded") && !quiet.contains("objects"), "\(quiet)")
        try team.sigit("carol", "approve", "nda-1").check()
        try team.sigit(nil, "sync").check()
        let verbose = try team.sandbox.sigit("other", as: nil, ["sync", "--verbose"]).check().stdout
        #expect(verbose.contains("fast-forwarded") && verbose.contains("remote: Counting objects"), "\(verbose)")

        // A seal goes out with the branch unchanged: the sync names it.
        try team.sigit("alice", "seal", "nda-1").check()
        let tag = try team.revision("refs/tags/sigit/nda-1/completed", in: "repo")
        let sealed = try team.sigit(nil, "sync").check().stdout
        #expect(sealed.contains("up to date at \(try team.tip().prefix(12)); pushed:"), "\(sealed)")
        #expect(sealed.contains("seal sigit/nda-1/completed (tag \(tag.prefix(12)))"), "\(sealed)")
        #expect(try team.revision("refs/tags/sigit/nda-1/completed", in: "remote.git") == tag)
        // Nothing new: nothing listed.
        let idle = try team.sigit(nil, "sync").check().stdout
        #expect(idle.split(separator: "\n").count == 1 && idle.hasPrefix("up to date"), "\(idle)")
    }

    @Test("the hook's refusal says what to run: sigit verify on the refused range, then redo the actions with sigit")
    func refusalSaysWhatToRun() throws {
        let team = try Team()
        try team.makeRemote()
        try team.sandbox.run(Sandbox.sigitBinary, ["hook", "install", "--repo", team.sandbox.path("remote.git"), "--sigit", Sandbox.sigitBinary],
                             in: team.sandbox.root.path).check()
        let accepted = try team.tip()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nSneaky clause.\n" }
        try team.git("commit", "-q", "-am", "sneaky").check()
        let refused = try team.git(["push", "origin", "main"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("remote: sigit: push refused; run sigit verify \(accepted.prefix(12))..\(try team.tip().prefix(12)) in your clone"), "\(refused.stderr)")
        #expect(refused.stderr.contains("redo those actions with sigit"))
        #expect(try team.revision("main", in: "remote.git") == accepted)
        // What it says to run finds the same problem.
        let verify = try team.sigit(nil, "verify", "\(accepted.prefix(12))..\(try team.tip().prefix(12))")
        #expect(verify.status == 1 && verify.stdout.contains("[unsigned]"), "\(verify.stdout)")
        // A clean push reports commits with the right plural.
        try team.git("reset", "-q", "--hard", accepted).check()
        try team.sigit("alice", "approve", "nda-1").check()
        let ok = try team.git(["push", "origin", "main"]).check()
        #expect(ok.stderr.contains("remote: sigit: refs/heads/main: ok, 1 new commit checked"), "\(ok.stderr)")
    }
}
