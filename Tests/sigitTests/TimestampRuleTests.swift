import Crypto
import Foundation
import Testing
import TestSupport
import TrustedTime

/// Spec section 8, the verifier's side: hand-made `timestamp` events (stock git, real tokens from a loopback
/// `openssl ts -reply` TSA), each rule with the history that breaks it and a control that counts.
@Suite(.serialized) struct TimestampRuleTests {
    /// A team whose policy trusts CA A (which issued the rsa, p256 and expired TSAs), with `timestamp` granted to bot.
    static func team() throws -> (Team, TSAFixture) {
        let tsa = try TSAFixture.shared.get()
        let team = try Team()
        try team.trustAuthorities([("test-tsa", tsa.scratch.path("caA.pem"))])
        try team.sigit("alice", "grant", "timestamp", "bot").check()
        try team.sigit("alice", "approve", "nda-1").check()  // legal-review, so bob and carol may sign
        return (team, tsa)
    }

    /// A token from `profile` over commit `rev`'s object.
    static func token(_ team: Team, _ tsa: TSAFixture, _ rev: String, _ profile: TSAProfile = .rsa, at: Date? = nil) async throws -> Data {
        try await tsa.stamp(try team.commitObject(rev), by: profile, at: at).der
    }

    @Test func countedTokenAndControl() async throws {
        let (team, tsa) = try Self.team()
        try team.sigit("bob", "approve", "nda-1").check()
        let approval = try team.commitID("HEAD")
        let token = try await Self.token(team, tsa, approval)
        try team.commitTokens([try team.tokenPath(approval): token], by: "bot").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0, "\(verdict.messages)")
        #expect(verdict.violations.isEmpty && !verdict.warnings.contains("clock-skew"))
        // Control of the control: the same token named after another event (alice's approval) does not count.
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        try team.commitTokens([try team.tokenPath("HEAD~1"): token], by: "bot").check()
        #expect(try team.verify().violations == ["timestamp"])
    }

    @Test func unlistedAuthorityAnotherCommitTamperedAndTruncated() async throws {
        let (team, tsa) = try Self.team()
        try team.sigit("bob", "approve", "nda-1").check()
        let approval = try team.commitID("HEAD")
        let send = try team.commitID("HEAD~1")  // an earlier counted event (alice's legal approval)
        let good = try await Self.token(team, tsa, approval)
        var tampered = good
        // genTime is the token's one GeneralizedTime (tag 0x18; certificate validities before 2050 are UTCTime, tag
        // 0x17): change the last digit of its year.
        let genTime = try #require(tampered.indices.dropLast(4).first { tampered[$0] == 0x18 && tampered[$0 + 2] == 0x32 && tampered[$0 + 3] == 0x30 })
        tampered[genTime + 5] ^= 0x01
        let cases: [(String, Data)] = [
            ("unlisted", try await Self.token(team, tsa, approval, .unlisted)),
            ("another commit", try await Self.token(team, tsa, send)),
            ("tampered genTime", tampered),
            ("truncated", good.prefix(good.count / 2)),
            ("expired TSA certificate", try await Self.token(team, tsa, approval, .expired, at: Date(timeIntervalSince1970: 1_600_000_000))),
        ]
        let path = try team.tokenPath(approval)
        for (name, der) in cases {
            try team.commitTokens([path: der], by: "bot").check()
            let verdict = try team.verify()
            #expect(verdict.status == 1 && verdict.violations == ["timestamp"], "\(name): \(verdict)")
            try team.git("reset", "-q", "--hard", "HEAD~1").check()
        }
        // Control: the good token counts on the same history.
        try team.commitTokens([path: good], by: "bot").check()
        #expect(try team.verify().status == 0)
        // A second token for the same event, or a change of the counted one, does not count.
        try team.commitTokens([path: tampered], by: "bot").check()
        #expect(try team.verify().violations == ["timestamp"])
    }

    @Test func permissionOrOwnEvents() async throws {
        let (team, tsa) = try Self.team()
        try team.sigit("bob", "approve", "nda-1").check()
        let bobs = try team.commitID("HEAD")
        try team.sigit("carol", "approve", "nda-1").check()
        let carols = try team.commitID("HEAD")
        // Carol has no timestamp permission: stamping bob's approval is a violation.
        try team.commitTokens([try team.tokenPath(bobs): try await Self.token(team, tsa, bobs)], by: "carol").check()
        #expect(try team.verify().violations == ["timestamp"])
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        // Control: her own approval she may stamp.
        try team.commitTokens([try team.tokenPath(carols): try await Self.token(team, tsa, carols)], by: "carol").check()
        #expect(try team.verify().status == 0)
    }

    @Test func onlyTimestampEventsAddTokensAndNothingElse() async throws {
        let (team, tsa) = try Self.team()
        try team.sigit("bob", "approve", "nda-1").check()
        let approval = try team.commitID("HEAD")
        let token = try await Self.token(team, tsa, approval)
        // A policy event (by an admin) that adds a token: not a timestamp event.
        try team.commitTokens([try team.tokenPath(approval): token], by: "alice", action: "policy").check()
        #expect(try team.verify().violations.contains("timestamp"))
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        // A timestamp event that also edits a document: counts nothing.
        try "smuggled\n".write(toFile: team.sandbox.path("\(team.repo)/agreements/nda-1/extra.md"), atomically: true, encoding: .utf8)
        try team.git("add", "agreements/nda-1/extra.md").check()
        try team.commitTokens([try team.tokenPath(approval): token], by: "bot").check()
        #expect(try team.verify().violations.contains("timestamp"))
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        // A file named after no counted event.
        try team.commitTokens([".sigit/timestamps/\(String(repeating: "ab", count: 32)).tsr": token], by: "bot").check()
        #expect(try team.verify().violations == ["timestamp"])
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        // Control.
        try team.commitTokens([try team.tokenPath(approval): token], by: "bot").check()
        #expect(try team.verify().status == 0)
    }

    @Test func clockSkewIsAWarning() async throws {
        let (team, tsa) = try Self.team()
        // bob's clock is two hours ahead: the approval's committer time is later than the TSA's genTime.
        let ahead = "@\(Int(Date().timeIntervalSince1970) + 7_200) +0000"
        try team.handApprove("bob", step: "signatures", extra: ["GIT_COMMITTER_DATE": ahead, "GIT_AUTHOR_DATE": ahead]).check()
        let approval = try team.commitID("HEAD")
        try team.commitTokens([try team.tokenPath(approval): try await Self.token(team, tsa, approval)], by: "bot").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.warnings.contains("clock-skew"), "\(verdict)")
    }
}

/// A batched notify event records one event per notice (the second and later under derived identities) but is one
/// signed event: it gets one token, named after its signed identity.
@Suite(.serialized) struct TimestampNoticeTests {
    @Test func aNotifyEventWithSeveralNoticesIsStampedOnce() async throws {
        let (team, tsa) = try TimestampRuleTests.team()
        try team.sigit("alice", "grant", "notify", "bot").check()
        let outbox = team.sandbox.path("outbox")
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        try team.sigit("bot", "notify", "--channel", "outbox:\(outbox)").check()
        let notify = try team.commitID("HEAD")
        let notices = try team.git("show", "-s", "--format=%B", notify).stdout.components(separatedBy: "Sigit-Notice:").count - 1
        #expect(notices >= 2, "the notify event should batch several notices")
        try team.sigit("bot", "timestamp", "nda-1", "--tsa", tsa.url(.rsa)).check()
        let added = try team.git("show", "--name-only", "--format=", "HEAD").stdout.split(separator: "\n").filter { $0.hasSuffix(".tsr") }
        let commits = try team.git("rev-list", "HEAD~1").stdout.split(separator: "\n").count
        #expect(added.contains(Substring(try team.tokenPath(notify))))
        #expect(added.count < commits, "one token per signed event: \(added.count) tokens")
        #expect(try team.verify().status == 0)
        // A token named after a derived notice identity is not a token of a counted event.
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        let token = try await tsa.stamp(try team.commitObject(notify), by: .rsa).der
        // The identity the second notice counts under (`EventID(notice: 1, of:)`): SHA-256 of "sigit-notice", 1 and the
        // signed identity, NUL-separated.
        let signed = "sha256:" + (try team.eventHex(notify))
        let derivedHex = SHA256.hash(data: Data("sigit-notice\u{0}1\u{0}\(signed)".utf8)).map { String(format: "%02x", $0) }.joined()
        let derived = ".sigit/timestamps/\(derivedHex).tsr"
        try team.commitTokens([derived: token], by: "bot").check()
        #expect(try team.verify().violations == ["timestamp"])
    }
}

/// Two clones stamp the same event in parallel: their token files conflict, and a merge that keeps either one is clean;
/// the earlier genTime counts.
@Suite(.serialized) struct ParallelTokenTests {
    @Test func aMergeKeepingEitherSidesTokenIsClean() async throws {
        let (team, tsa) = try TimestampRuleTests.team()
        try team.sigit("bob", "approve", "nda-1").check()
        let approval = try team.commitID("HEAD")
        let path = try team.tokenPath(approval)
        try team.git("checkout", "-q", "-b", "other").check()
        try team.commitTokens([path: try await tsa.stamp(try team.commitObject(approval), by: .p256).der], by: "bot").check()
        try team.git("checkout", "-q", "main").check()
        try team.commitTokens([path: try await tsa.stamp(try team.commitObject(approval), by: .rsa).der], by: "bot").check()
        let merge = try team.git("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge other", "other")
        #expect(merge.status != 0, "the two token files conflict")
        try team.git("checkout", "--theirs", "--", path).check()
        try team.git("add", path).check()
        try team.git("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "commit", "-q", "--no-gpg-sign", "--no-edit").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.violations.isEmpty, "\(verdict.messages)")
        // Control: a merge that writes a token neither side had is a change of its signer (here unsigned).
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        _ = try team.git("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge other", "other")
        try (try await tsa.stamp(try team.commitObject(approval), by: .p384).der).write(to: URL(fileURLWithPath: team.sandbox.path("\(team.repo)/\(path)")))
        try team.git("add", path).check()
        try team.git("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "commit", "-q", "--no-gpg-sign", "--no-edit").check()
        #expect(try team.verify().status == 1)
    }
}
