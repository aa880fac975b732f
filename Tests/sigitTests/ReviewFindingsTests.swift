import Foundation
import Testing

/// Regressions for what a review of the comment, review, key and config paths found: each builds the hostile input
/// and checks sigit keeps working and says the truth.
@Suite("review findings: hostile anchors, tampered first looks, key pairs, the trust file")
struct ReviewFindingsTests {
    @Test("a signed comment anchored at a gitlink is a comment violation and every command keeps working; control: at the document it counts")
    func commentOnGitlink() throws {
        let team = try Team()
        let digest = try team.digest("nda-1")
        let head = try team.tip()
        try team.git("update-index", "--add", "--cacheinfo", "160000,\(head),agreements/nda-1/sub").check()
        try team.gitCommit(signedBy: nil, message: "gitlink", allowEmpty: false).check()
        let anchored = { (file: String) in
            "comment on nda-1 (\(file):1)\n\nA remark.\n\n" + team.trailers("comment", identity: "bob", digest: digest) + "\nSigit-File: \(file)\nSigit-Line: 1"
        }
        try team.routingCommit("bob", message: anchored("sub")).check()
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations.contains("comment"), "\(verify.messages)")
        for verb in [["status"], ["status", "nda-1"], ["log", "nda-1"], ["review", "nda-1"]] {
            let run = try team.sigit("bob", verb)
            #expect(run.status == 0, "\(verb): \(run.stderr)")
        }
        // sigit itself refuses to write such an anchor.
        let before = try team.tip()
        let refused = try team.sigit("bob", "comment", "nda-1", "-m", "x", "--file", "sub", "--line", "1")
        let unchanged = try team.tip() == before
        #expect(refused.status == 2 && refused.stderr.contains("no regular file") && unchanged, "\(refused.stderr)")
        // Control: the same comment at the document counts.
        try team.routingCommit("bob", message: anchored("nda.md")).check()
        let after = try team.verify()
        #expect(after.violations.filter { $0 == "comment" }.count == verify.violations.filter { $0 == "comment" }.count, "\(after.messages)")
    }

    @Test("a first review of a tampered agreement says TAMPERED and does not show the changed files as the document")
    func firstReviewOfTamperedAgreement() throws {
        let team = try Team()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nClause 9: all rights to Mallory.\n" }
        try team.git("add", "-A").check()
        try team.gitCommit(signedBy: nil, message: "small fix", allowEmpty: false).check()
        let review = try team.sigit("bob", "review", "nda-1").check()
        // The change shows as a change since the version sent, under the TAMPERED line; never as the document.
        #expect(review.stdout.contains("TAMPERED at") && !review.stdout.contains("documents (your first review)"), "\(review.stdout)")
        let json = try team.sigit("bob", "review", "nda-1", "--json").check().json()
        #expect(json["documents"] == nil || json["documents"] is NSNull, "\(json)")
        // Control: before the edit, the first look lists the document with its text.
        let clean = try Team()
        let first = try clean.sigit("bob", "review", "nda-1").check()
        #expect(first.stdout.contains("documents (your first review)") && !first.stdout.contains("TAMPERED"), "\(first.stdout)")
    }

    @Test("a .pub whose private file beside it is another key is refused for signing; control: a matching pair signs")
    func mismatchedKeyPair() throws {
        let team = try Team()
        // keys/bob.pub with the private key of carol beside it under bob's name.
        let dir = team.sandbox.path("pair")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: team.sandbox.path("keys/bob.pub"), toPath: dir + "/k.pub")
        try FileManager.default.copyItem(atPath: team.sandbox.path("keys/carol"), toPath: dir + "/k")
        try team.sigit("alice", "approve", "nda-1").check()
        let before = try team.tip()
        let run = try team.sandbox.run(Sandbox.sigitBinary, ["--key", dir + "/k.pub", "approve", "nda-1"], in: team.sandbox.path(team.repo))
        let unchanged = try team.tip() == before
        #expect(run.status == 2 && run.stderr.contains("is not the key of") && unchanged, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        // Control: bob's own pair signs as bob.
        let good = try team.sandbox.run(Sandbox.sigitBinary, ["--key", team.sandbox.path("keys/bob.pub"), "approve", "nda-1"], in: team.sandbox.path(team.repo))
        #expect(good.status == 0, "\(good.stderr)")
    }

    @Test("an absolute allowedSignersFile set deliberately (global, or another existing file) is left alone; a stale one of this clone is healed")
    func trustFileChoices() throws {
        let team = try Team()
        let elsewhere = team.sandbox.path("trusted/.sigit/allowed_signers")
        try FileManager.default.createDirectory(atPath: team.sandbox.path("trusted/.sigit"), withIntermediateDirectories: true)
        try "".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        // A local setting naming another clone's existing file stays.
        try team.git("config", "gpg.ssh.allowedSignersFile", elsewhere).check()
        try team.sigit(nil, "status").check()
        #expect(try team.git("config", "--local", "gpg.ssh.allowedSignersFile").check().stdout == elsewhere + "\n")
        // A global setting is never rewritten into the clone's config.
        try team.git("config", "--unset", "gpg.ssh.allowedSignersFile").check()
        try team.git("config", "--global", "gpg.ssh.allowedSignersFile", elsewhere).check()
        try team.sigit(nil, "status").check()
        #expect(try team.git("config", "--local", "gpg.ssh.allowedSignersFile").status != 0, "a read verb wrote the clone's config")
        try team.git("config", "--global", "--unset", "gpg.ssh.allowedSignersFile").check()
        // A stale absolute path in the clone's own config (the clone moved) is healed.
        try team.git("config", "gpg.ssh.allowedSignersFile", team.sandbox.path("gone/.sigit/allowed_signers")).check()
        try team.sigit(nil, "status").check()
        #expect(try team.git("config", "--local", "gpg.ssh.allowedSignersFile").check().stdout == ".sigit/allowed_signers\n")
    }
}
