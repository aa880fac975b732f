import Foundation
import Testing

/// `sigit void` (spec §4: void needs `void` or being the sender; nothing changes a voided agreement).
@Suite("void")
struct VoidTests {
    @Test("the sender voids; later approvals and content changes do not count")
    func senderVoids() throws {
        let team = try Team()
        try team.sigit("bot", "void", "nda-1", "--reason", "Deal cancelled").check()
        #expect(try team.sigit(nil, "status", "nda-1", "--json").json()["state"] as? String == "voided")
        #expect(try team.sigit("alice", "approve", "nda-1").status == 2)
        let digest = try team.digest("nda-1")
        let message = "approve nda-1 (step legal-review)\n\n" + team.trailers("approve", identity: "alice", digest: digest, step: "legal-review")
        try team.gitCommit(signedBy: "alice", message: message, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["not-in-progress"])
    }

    @Test("someone without void who did not send it cannot void (permission); control: an admin with void can")
    func permission() throws {
        let team = try Team()
        let refused = try team.sigit("carol", "void", "nda-1", "--reason", "no")
        #expect(refused.status == 2 && refused.stderr.contains("permission"))
        let message = "void nda-1\n\nno\n\n" + team.trailers("void", identity: "carol")
        try team.gitCommit(signedBy: "carol", message: message, name: "carol", email: "carol@example.com").check()
        #expect(try team.verify().violations == ["permission"])
        try team.sigit("alice", "void", "nda-1", "--reason", "Superseded").check()
        #expect(try team.sigit(nil, "status", "nda-1", "--json").json()["state"] as? String == "voided")
    }
}
