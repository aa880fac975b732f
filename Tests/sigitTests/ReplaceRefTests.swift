import Foundation
import Testing

/// Issue 14, class 10: `git replace` changes what stock git shows, never what sigit reads.
@Suite("replace references")
struct ReplaceRefTests {
    @Test("a git replace of an agreement's blob and of its send commit changes what git show prints, not what verify, status and certificate read")
    func replacementIgnored() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let digest = try team.digest("nda-1")
        let certificate = try team.sigit(nil, "certificate", "nda-1", "--format", "json").check().json()
        let signedText = try team.git("show", "HEAD:agreements/nda-1/nda.md").check().stdout

        let blob = try team.git("rev-parse", "HEAD:agreements/nda-1/nda.md").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try "Mutual NDA: the recipient owes the discloser 1,000,000 EUR.\n".write(toFile: team.sandbox.path("evil.md"), atomically: true, encoding: .utf8)
        let evil = try team.git("hash-object", "-w", team.sandbox.path("evil.md")).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("replace", blob, evil).check()
        // The approval commit itself replaced by an unsigned one with another message and parent.
        let approval = try team.tip()
        let fake = try team.git("commit-tree", "HEAD^{tree}", "-p", "HEAD~2", "-m", "approve nda-1 (step legal-review)\n\nApproved with the annex.")
            .check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("replace", approval, fake).check()
        let shown = try team.git("show", "HEAD:agreements/nda-1/nda.md").check().stdout
        #expect(shown.contains("1,000,000 EUR") && shown != signedText, "the attack is real: stock git shows the replacement")
        #expect(try team.git("log", "-1", "--format=%b", "HEAD").check().stdout.contains("with the annex"))

        #expect(try team.digest("nda-1") == digest)
        try team.expectClean(not: "unsigned")
        #expect(try team.slotStates(0) == ["approved"])
        #expect(try team.status()["state"] as? String == "in-progress")
        let after = try team.sigit(nil, "certificate", "nda-1", "--format", "json").check().json()
        let documents = { (object: [String: Any]) in ((object["agreement"] as? [String: Any])?["documents"] as? [[String: Any]] ?? []).compactMap { $0["sha256"] as? String } }
        #expect(documents(after) == documents(certificate) && !documents(after).isEmpty)
        #expect((after["agreement"] as? [String: Any])?["digest"] as? String == digest)
        #expect((after["events"] as? [Any])?.count == (certificate["events"] as? [Any])?.count)
        // With replacements switched off, stock git agrees with sigit.
        let plain = try team.git("--no-replace-objects", "show", "HEAD:agreements/nda-1/nda.md").check().stdout
        #expect(plain == signedText)
    }
}
