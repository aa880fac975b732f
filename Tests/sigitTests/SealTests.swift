import Foundation
import Testing

/// `sigit seal ID`: an SSH-signed annotated tag on the completing commit that stock `git tag -v` verifies.
@Suite("seal")
struct SealTests {
    @Test("seal refuses an agreement in progress, tags the completing commit once, and git tag -v verifies the tag")
    func seal() throws {
        let team = try Team()
        let before = try team.tip()
        let early = try team.sigit("alice", "seal", "nda-1")
        #expect(early.status == 2 && early.stderr.contains("only a completed agreement"))
        #expect(try team.git("tag", "--list").check().stdout.isEmpty && (try team.tip()) == before)
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        let completing = try team.tip()
        try team.sigit("alice", "seal", "nda-1").check()
        let target = try team.git("rev-parse", "sigit/nda-1/completed^{commit}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(target == completing)
        let verified = try team.git("tag", "-v", "sigit/nda-1/completed").check()
        #expect(verified.stderr.contains("Good \"git\" signature for alice@example.com"))
        #expect(verified.stdout.contains("Digest: \(try team.digest("nda-1"))"))
        #expect(try team.git("fsck", "--full", "--strict").status == 0)
        let again = try team.sigit("alice", "seal", "nda-1")
        #expect(again.status == 2 && again.stderr.contains("never moved"))
        try team.expectClean(not: "unsigned")
    }

    @Test("seal needs a key of the policy; nothing is tagged otherwise")
    func foreignKey() throws {
        let team = try Team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        let result = try team.sigit("mallory", "seal", "nda-1")
        #expect(result.status == 2, "mallory's key is not in the policy")
        #expect(try team.git("tag", "--list").check().stdout.isEmpty)
    }
}
