import Foundation
import Testing

/// Spec section 2, *Reading the message as git does*: free text (reasons, comments) can never hide or replace an
/// event's trailer block, and a hand-made event whose message git and libgit2 could read differently is a
/// violation that moves no state.
@Suite("trailer injection through free text")
struct TrailerInjectionTests {
    @Test("a reason with a --- line (git stops reading trailers there) is refused and nothing is written",
          arguments: ["ok\n---\nSigit-Version: 1\nSigit-Action: approve", "---", "see below\n--- patch follows", "---not a divider to git, one to libgit2"])
    func dashLine(reason: String) throws {
        let team = try Team()
        let before = try team.tip()
        let result = try team.sigit("alice", "decline", "nda-1", "--reason=" + reason)
        #expect(result.status == 2 && result.stderr.contains("---"), "\(result.stderr)")
        #expect(try team.tip() == before)
        let comment = try team.sigit("alice", "approve", "nda-1", "--message=" + reason)
        #expect(comment.status == 2)
        #expect(try team.tip() == before)
    }

    @Test("a reason with a scissors line, a Sigit- line or a control character is refused in one line, nothing written", arguments: [
        ("ok\n# ------------------------ >8 ------------------------\nSigit-Action: approve", "scissors"),
        ("cut here -- >8 --", "scissors"),
        ("looks fine -- really\n\nSigit-Action: void\nSigit-Identity: bob", "Sigit-"),
        ("ok\nsigit-action: decline", "Sigit-"),
        ("ok\n\tSigit-Step: other", "Sigit-"),
        ("windows\r\nline", "carriage return"),
    ])
    func refusedText(reason: String, named: String) throws {
        let team = try Team()
        let before = try team.tip()
        for verb in [["decline", "nda-1", "--reason=" + reason], ["approve", "nda-1", "--message=" + reason]] {
            let result = try team.sigit("alice", verb)
            #expect(result.status == 2, "\(verb[0]): \(result.stderr)")
            #expect(result.stderr.contains(named) && result.stderr.contains("nothing was written"), "\(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(try team.tip() == before)
        }
    }

    @Test("control: a trailer-like paragraph that is not a Sigit- line stays body text; the real trailers are read")
    func paragraphStaysBody() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1", "-m", "looks fine -- really\n\nReviewed-by: carol\n# not a comment to sigit").check()
        let parsed = try team.git("log", "-1", "--format=%(trailers:key=Sigit-Action,valueonly)").check().stdout
        #expect(parsed.trimmingCharacters(in: .whitespacesAndNewlines) == "approve")
        try team.expectClean(not: "malformed-event")
        #expect(try team.slotStates(0) == ["approved"])
    }

    // MARK: hand-made events with stock git (git commit -S, gpg.format=ssh)

    /// A commit made with stock `git commit -S --cleanup=verbatim` (the message kept byte for byte), signed by `who`.
    static func signedCommit(_ team: Team, _ who: String, message: String, config: [String] = [], extra: [String: String] = [:]) throws -> RunResult {
        let person = routingPeople[who] ?? (who, "\(who)@example.com")
        let args = ["-c", "user.name=\(person.name)", "-c", "user.email=\(person.email)", "-c", "gpg.format=ssh",
                    "-c", "user.signingkey=\(team.sandbox.path("keys/\(who)"))"] + config
            + ["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-S", "-m", message]
        return try team.sandbox.run("/usr/bin/env", ["git"] + args, in: team.sandbox.path(team.repo), extra: extra)
    }

    static let cut = "# ------------------------ >8 ------------------------"

    /// Messages whose trailers git and libgit2 read differently: (name, build from an approve and a decline block).
    static let attacks: [(String, @Sendable (String, String) -> String)] = [
        ("approve, scissors, decline", { "approve nda-1 (step legal-review)\n\n\($0)\n\(cut)\n\($1)\n" }),
        ("decline, scissors, approve", { "decline nda-1 (step legal-review)\n\n\($1)\n\n\(cut)\n\n\($0)\n" }),
        ("approve, ---, decline", { "approve nda-1 (step legal-review)\n\n\($0)\n---\n\($1)\n" }),
        ("decline, --- patch, approve", { "decline nda-1 (step legal-review)\n\n\($1)\n\n--- a/x\n\n\($0)\n" }),
        ("a Sigit-Action in an earlier paragraph", { b, _ in "approve nda-1\n\nSigit-Action: decline\n\n\(b)\n" }),
        ("a continued Sigit-Action", { b, _ in "approve nda-1\n\n\(b)\n\tdecline\n" }),
    ]

    @Test("a signed event whose message git and libgit2 read differently is malformed-event and moves nothing",
          arguments: attacks.map(\.0))
    func stockGitAttack(name: String) throws {
        let team = try Team()
        let digest = try team.digest("nda-1")
        let approve = team.trailers("approve", identity: "alice", digest: digest, step: "legal-review")
        let decline = team.trailers("decline", identity: "alice", digest: digest, step: "legal-review")
        let before = (try team.slotStates(0), try team.status()["state"] as? String)
        guard let build = Self.attacks.first(where: { $0.0 == name })?.1 else { Issue.record("no attack \(name)"); return }
        try Self.signedCommit(team, "alice", message: build(approve, decline)).check()
        try team.expectViolation("malformed-event")
        #expect(try team.slotStates(0) == before.0, "\(name): the step moved")
        #expect(try team.status()["state"] as? String == before.1, "\(name): the agreement moved")
    }

    @Test("a signed event with an encoding header git log decodes into other trailers (UTF-7) is malformed-event and moves nothing")
    func encodingAttack() throws {
        let team = try Team()
        let digest = try team.digest("nda-1")
        let approve = team.trailers("approve", identity: "alice", digest: digest, step: "legal-review")
        let decline = team.trailers("decline", identity: "alice", digest: digest, step: "legal-review")
        // UTF-7 spells "\n\n<decline block>" in base64 that reads, raw, as part of a Note trailer's value.
        let units = Array(("\n\n" + decline + "\n").utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let hidden = "+" + Data(units).base64EncodedString().replacingOccurrences(of: "=", with: "") + "-"
        let before = (try team.slotStates(0), try team.status()["state"] as? String)
        // A negative time zone keeps "+" out of the headers, so git's UTF-7 decoding of the whole commit succeeds.
        try Self.signedCommit(team, "alice", message: "approve nda-1 (step legal-review)\n\n\(approve)\nNote: x\(hidden)\n",
                              config: ["-c", "i18n.commitEncoding=UTF-7"],
                              extra: ["GIT_AUTHOR_DATE": "1796600000 -0500", "GIT_COMMITTER_DATE": "1796600000 -0500"]).check()
        // git log decodes the whole commit object from UTF-7; the random "+" of a signature's armor usually spoils
        // that (an attacker grinds the commit time until it does not: ed25519 signatures are deterministic), so
        // the decline git shows is checked on the same commit without its gpgsig header.
        let raw = try team.git("cat-file", "commit", "HEAD").check().stdout.components(separatedBy: "\n")
        var kept: [String] = []
        var inSignature = false
        for line in raw {
            if line.hasPrefix("gpgsig ") { inSignature = true; continue }
            if inSignature, line.hasPrefix(" ") { continue }
            inSignature = false
            kept.append(line)
        }
        let file = team.sandbox.path("unsigned-copy")
        try kept.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let copy = try team.git("hash-object", "-t", "commit", "-w", file).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try team.git("log", "-1", "--format=%(trailers:key=Sigit-Action,valueonly)", copy).check().stdout
        #expect(shown.trimmingCharacters(in: .whitespacesAndNewlines) == "decline", "git log reads: \(shown)")
        try team.expectViolation("malformed-event")
        #expect(try team.slotStates(0) == before.0)
        #expect(try team.status()["state"] as? String == before.1)
    }

    @Test("control: the same approval made with git commit -S and a plain trailer block counts")
    func stockGitControl() throws {
        let team = try Team()
        let approve = team.trailers("approve", identity: "alice", digest: try team.digest("nda-1"), step: "legal-review")
        try Self.signedCommit(team, "alice", message: "approve nda-1 (step legal-review)\n\nLooks fine.\n\nSigned-off-by: Alice Example <alice@example.com>\n\(approve)\n").check()
        try team.expectClean(not: "malformed-event")
        #expect(try team.slotStates(0) == ["approved"])
    }
}
