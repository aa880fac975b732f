import Foundation
import Testing

/// Keys over time (spec §3): retired keys keep their past signatures, a revoked key's events stop counting, and a key
/// that left the policy cannot sign into the past by forking from an old commit and backdating its committer time.
@Suite("key lifecycle: no signing into the past, later revocation")
struct KeyLifecycleTests {
    /// RFC 3339 for `date`, whole seconds.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Alice retires bob's key at `when` by a policy change (as an admin may with stock git).
    static func retireBob(_ team: Team, at when: Date) throws {
        try team.editPolicy { Team.keyAttribute($0, identity: "bob", "valid-before: \(rfc3339(when))") }
    }

    /// Merges `branch` into the current branch with an unsigned, clean merge commit.
    static func merge(_ team: Team, _ branch: String) throws {
        try team.git("-c", "user.name=Hosting", "-c", "user.email=merge@example.com", "merge", "-q", "--no-edit", "--no-gpg-sign", branch).check()
    }

    @Test("key-left: bob's key is retired, bob forks from before, backdates an approval inside the window, and it is merged")
    func forkAndBackdate() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let before = try team.tip()
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let retiredAt = Date().addingTimeInterval(-1)
        try Self.retireBob(team, at: retiredAt)
        try team.git("checkout", "-q", "-b", "fork", before).check()
        let backdated = "@\(Int(retiredAt.timeIntervalSince1970) - 1) +0000"
        try team.handApprove("bob", step: "signatures", extra: ["GIT_COMMITTER_DATE": backdated, "GIT_AUTHOR_DATE": backdated]).check()
        // Stock git accepts the signature: the committer time is inside the key's window.
        try team.git("-c", "gpg.ssh.allowedSignersFile=\(team.sandbox.path("repo/.sigit/allowed_signers"))", "verify-commit", "HEAD").check()
        try team.git("checkout", "-q", branch).check()
        try Self.merge(team, "fork")
        try team.expectViolation("key-left")
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("control: an approval made before the key was retired keeps counting after, also when merged later")
    func retiredKeepsPast() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("checkout", "-q", "-b", "early").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.git("checkout", "-q", branch).check()
        try Self.merge(team, "early")
        try Self.retireBob(team, at: Date().addingTimeInterval(-1))
        try team.expectClean(not: "key-left")
        #expect(try team.slotStates(1) == ["approved", "pending"])
    }

    @Test("key-left: after bob's key is retired, a backdated approval on top of the retirement is refused")
    func directBackdate() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let retiredAt = Date().addingTimeInterval(-1)
        try Self.retireBob(team, at: retiredAt)
        let backdated = "@\(Int(retiredAt.timeIntervalSince1970) - 1) +0000"
        try team.handApprove("bob", step: "signatures", extra: ["GIT_COMMITTER_DATE": backdated]).check()
        try team.expectViolation("key-left")
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("key-left: an identity removed from the policy cannot come back through an old fork")
    func removedIdentityFork() throws {
        let team = try Team()
        try team.addHuman("dave")
        try team.sigit("alice", "grant", "draft", "dave").check()
        let before = try team.tip()
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.editPolicy { text in
            var lines = text.components(separatedBy: "\n").filter { $0 != "  - dave" }
            if let start = lines.firstIndex(of: "  dave:") {
                let end = lines[(start + 1)...].firstIndex { !$0.hasPrefix("    ") } ?? lines.endIndex
                lines.removeSubrange(start..<end)
            }
            return lines.joined(separator: "\n")
        }
        #expect(try team.sigit(nil, "identity", "list").check().stdout.contains("dave") == false)
        // dave revises the NDA on a fork from before his removal, signed with his key, which the fork's policy lists.
        try team.git("checkout", "-q", "-b", "fork", before).check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA clause dave slipped in.\n" }
        try team.git("add", "agreements").check()
        try team.routingCommit("dave", message: "draft nda-1 (revision)", allowEmpty: false).check()
        try team.git("checkout", "-q", branch).check()
        try Self.merge(team, "fork")
        try team.expectViolation("key-left")
        // A violation never moves state: the round goes on as it was, and the files dave slipped in are tampering.
        let status = try team.status()
        #expect(status["state"] as? String == "in-progress", "\(status)")
        #expect(status["tampered-at"] as? String != nil, "the files in the tree are not the content the state counts: \(status)")
        #expect(try team.handApprove("alice", step: "legal-review").status == 0)
        try team.expectViolation("digest-mismatch")
    }

    @Test("revoked-later: revoking bob's key makes his earlier approval stop counting, as a warning, not a violation")
    func revokedLater() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        #expect(try team.slotStates(1) == ["approved", "pending"])
        try team.editPolicy { Team.keyAttribute($0, identity: "bob", "revoked: true") }
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.violations) \(verify.messages)")
        #expect(verify.warnings.contains("revoked-later"))
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("control: retiring (not revoking) bob's key leaves his approval counting and raises no revoked-later warning")
    func retiredNotRevoked() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try Self.retireBob(team, at: Date().addingTimeInterval(-1))
        let verify = try team.verify()
        #expect(verify.status == 0 && !verify.warnings.contains("revoked-later"))
        #expect(try team.slotStates(1) == ["approved", "pending"])
    }

    @Test("key-left: an admin whose key left forks from before, ratifies higher policy serials, and is merged: ignored")
    func forkedPolicy() throws {
        let team = try Team()
        try team.addHuman("dave")
        try team.sigit("alice", "grant", "admin", "dave").check()
        let before = try team.tip()
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let retiredAt = Date().addingTimeInterval(-1)
        try team.editPolicy { Team.keyAttribute($0, identity: "dave", "valid-before: \(Self.rfc3339(retiredAt))") }
        let serial = try team.policySerial()
        try team.git("checkout", "-q", "-b", "fork", before).check()
        let backdated = ["GIT_COMMITTER_DATE": "@\(Int(retiredAt.timeIntervalSince1970) - 1) +0000"]
        try team.editPolicy(signedBy: "dave", extra: backdated) { Team.addingRole($0, "daves", ["dave"]) }
        try team.editPolicy(signedBy: "dave", extra: backdated) { Team.addingRole($0, "daves2", ["dave"]) }
        #expect(try team.policySerial() == serial + 1, "the fork alone is valid: dave was an admin there")
        try team.git("checkout", "-q", branch).check()
        // Both sides changed policy.yml: alice resolves the conflict by keeping her side (a signed merge).
        let merge = try team.git("-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "-c", "gpg.format=ssh",
                                 "-c", "user.signingkey=\(team.sandbox.path("keys/alice"))", "merge", "-q", "--no-edit", "-S", "-s", "ours", "fork")
        #expect(merge.status == 0, "\(merge.stderr)")
        let verify = try team.verify()
        #expect(verify.status == 1 && Set(verify.violations) == ["key-left"], "\(verify.violations) \(verify.messages)")
        #expect(try team.policySerial() == serial, "the policy in force stays alice's")
    }

    @Test("policy-conflict: two different ratified policies with the same serial are merged")
    func policyConflict() throws {
        let team = try Team()
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("checkout", "-q", "-b", "other").check()
        try team.editPolicy { Team.addingRole($0, "finance", ["bob"]) }
        try team.git("checkout", "-q", branch).check()
        try team.editPolicy { Team.addingRole($0, "sales", ["carol"]) }
        try team.git("-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "merge", "-q", "--no-edit", "--no-gpg-sign", "-s", "ours", "other").check()
        try team.expectViolation("policy-conflict")
    }

    @Test("control: after a merge the policy in force is the highest ratified serial")
    func highestSerialWins() throws {
        let team = try Team()
        let serial = try team.policySerial()
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("checkout", "-q", "-b", "other").check()
        try team.sigit("alice", "role", "add", "finance", "bob").check()
        try team.sigit("alice", "role", "add", "sales", "carol").check()
        try team.git("checkout", "-q", branch).check()
        try team.sigit("alice", "approve", "nda-1").check()
        try Self.merge(team, "other")
        try team.expectClean(not: "policy-conflict")
        #expect(try team.policySerial() == serial + 2)
    }

    @Test("warnings: a committer time earlier than a parent's, and a clean merge signed by a key outside the policy")
    func warnings() throws {
        let team = try Team()
        try team.handApprove("alice", step: "legal-review", extra: ["GIT_COMMITTER_DATE": "@1000000000 +0000"]).check()
        var verify = try team.verify()
        #expect(verify.status == 0 && verify.warnings.contains("committer-time"), "\(verify.violations) \(verify.warnings)")
        let branch = try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("checkout", "-q", "-b", "side").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.git("checkout", "-q", branch).check()
        try team.sigit("carol", "approve", "nda-1").check()
        try team.git("-c", "user.name=Mallory", "-c", "user.email=mallory@example.com", "-c", "gpg.format=ssh",
                     "-c", "user.signingkey=\(team.sandbox.path("keys/mallory"))", "merge", "-q", "--no-edit", "-S", "side").check()
        verify = try team.verify()
        #expect(verify.status == 0 && verify.warnings.contains("merge-signature"), "\(verify.violations) \(verify.warnings)")
        #expect(try team.status()["state"] as? String == "completed")
    }
}

/// `--digest` pins the content a recipient reviewed.
@Suite("approve --digest")
struct ReviewedDigestTests {
    @Test("approve --digest refuses when the content changed since the review; control: the reviewed digest approves")
    func pinned() throws {
        let team = try Team()
        let reviewed = try team.digest("nda-1")
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nLate change.\n" }
        try team.sigit("bot", "draft", "nda-1").check()
        try team.sigit("bot", "send", "nda-1").check()
        let before = try team.tip()
        let refused = try team.sigit("alice", "approve", "nda-1", "--digest", reviewed)
        #expect(refused.status == 2 && refused.stderr.contains("review it again"))
        #expect(try team.tip() == before)
        try team.sigit("alice", "approve", "nda-1", "--digest", try team.digest("nda-1")).check()
        #expect(try team.slotStates(0) == ["approved"])
    }
}
