import Foundation
import Testing

/// Free text (reasons, comments) can never hide or replace an event's trailer block (spec §2: free text goes in the body).
@Suite("trailer injection through free text")
struct TrailerInjectionTests {
    @Test("a reason with a --- line (git stops reading trailers there) is refused and nothing is written",
          arguments: ["ok\n---\nSigit-Version: 1\nSigit-Action: approve", "---", "see below\n--- patch follows"])
    func dashLine(reason: String) throws {
        let team = try Team()
        let before = try team.tip()
        let result = try team.sigit("alice", "decline", "nda-1", "--reason=" + reason)
        #expect(result.status == 2 && result.stderr.contains("---"))
        #expect(try team.tip() == before)
        let comment = try team.sigit("alice", "approve", "nda-1", "--message=" + reason)
        #expect(comment.status == 2)
        #expect(try team.tip() == before)
    }

    @Test("control: a trailer-like paragraph inside a comment stays body text; the real trailers are read")
    func paragraphStaysBody() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1", "-m", "looks fine -- really\n\nSigit-Action: void\nSigit-Identity: bob").check()
        let parsed = try team.git("log", "-1", "--format=%(trailers:key=Sigit-Action,valueonly)").check().stdout
        #expect(parsed.trimmingCharacters(in: .whitespacesAndNewlines) == "approve")
        try team.expectClean(not: "malformed-event")
        #expect(try team.slotStates(0) == ["approved"])
    }
}
