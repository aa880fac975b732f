import Foundation
import Testing

/// Histories found by review that tried to make a departed or revoked key, a forked policy, a merge or a delegate
/// count for more than the policy allows; each asserts the safe outcome.
@Suite("merge attacks and replays")
struct MergeAttackTests {
    static func branch(_ team: Team) throws -> String {
        try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("key-left: a retired key's backdated delegation on a fork does not let the delegate's approval count")
    func departedDelegation() throws {
        let team = try DelegationTests.team()
        try team.sigit("alice", "approve", "nda-1").check()
        let before = try team.tip()
        let main = try Self.branch(team)
        let retiredAt = Date().addingTimeInterval(-1)
        try KeyLifecycleTests.retireBob(team, at: retiredAt)
        try team.git("checkout", "-q", "-b", "fork", before).check()
        let backdated = "@\(Int(retiredAt.timeIntervalSince1970) - 1) +0000"
        let message = "delegate nda-1 (step signatures) to dave\n\n" + team.trailers("delegate", identity: "bob", step: "signatures") + "\nSigit-Delegate: dave"
        try team.routingCommit("bob", message: message, extra: ["GIT_COMMITTER_DATE": backdated, "GIT_AUTHOR_DATE": backdated]).check()
        try DelegationTests.handApproveFor(team, "dave", for: "bob").check()
        try team.git("checkout", "-q", main).check()
        try KeyLifecycleTests.merge(team, "fork")
        try team.expectViolation("key-left")
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("revoked-later: revoking the delegating recipient's key drops the delegate's approval too")
    func revokedDelegation() throws {
        let team = try DelegationTests.team()
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("dave", "approve", "nda-1").check()
        #expect(try team.slotStates(1) == ["approved", "pending"])
        try team.editPolicy { Team.keyAttribute($0, identity: "bob", "revoked: true") }
        let v = try team.verify()
        #expect(v.status == 0 && v.warnings.contains("revoked-later"))
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("revoked-later: revoking a key that was already retired still drops its approvals")
    func retireThenRevoke() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try KeyLifecycleTests.retireBob(team, at: Date().addingTimeInterval(-1))
        #expect(try team.slotStates(1) == ["approved", "pending"])
        try team.editPolicy { Team.keyAttribute($0, identity: "bob", "revoked: true") }
        let v = try team.verify()
        #expect(v.status == 0 && v.warnings.contains("revoked-later"))
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("key-left: a departed admin's forked policy puts a puppet key on carol; the puppet's approval does not count")
    func departedAdminPuppetKey() throws {
        let team = try Team()
        try team.addHuman("dave")
        try team.sigit("alice", "grant", "admin", "dave").check()
        try team.sigit("alice", "approve", "nda-1").check()
        let before = try team.tip()
        let main = try Self.branch(team)
        let retiredAt = Date().addingTimeInterval(-1)
        try team.editPolicy { Team.keyAttribute($0, identity: "dave", "valid-before: \(KeyLifecycleTests.rfc3339(retiredAt))") }
        try team.git("checkout", "-q", "-b", "fork", before).check()
        let backdated = ["GIT_COMMITTER_DATE": "@\(Int(retiredAt.timeIntervalSince1970) - 1) +0000"]
        let mallory = try String(contentsOfFile: team.sandbox.path("keys/mallory.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try team.editPolicy(signedBy: "dave", extra: backdated) { text in
            var lines = text.components(separatedBy: "\n")
            guard let start = lines.firstIndex(of: "  carol:"), let key = lines[start...].firstIndex(where: { $0.hasPrefix("    - key: ") }) else { return text }
            lines.insert("    - key: \(mallory)", at: key + 1)
            return lines.joined(separator: "\n")
        }.check()
        let msg = "approve nda-1 (step signatures)\n\n" + team.trailers("approve", identity: "carol", digest: try team.digest("nda-1"), step: "signatures")
        try team.gitCommit(signedBy: "mallory", message: msg, name: "Carol", email: "carol@example.com").check()
        #expect(try team.slotStates(1) == ["pending", "approved"], "on the fork alone the puppet key counts")
        try team.git("checkout", "-q", main).check()
        try team.git("-c", "user.name=Alice Example", "-c", "user.email=alice@example.com", "-c", "gpg.format=ssh",
                     "-c", "user.signingkey=\(team.sandbox.path("keys/alice"))", "merge", "-q", "--no-edit", "-S", "-s", "ours", "fork").check()
        try team.expectViolation("key-left")
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("notify refuses two channels of one type (notices are counted per type)")
    func twoChannelsSameType() throws {
        let team = try NotifyTests.team()
        let result = try NotifyTests.notify(team, "--channel", "outbox:" + team.sandbox.path("a"), "--channel", "outbox:" + team.sandbox.path("b"))
        #expect(result.status == 2 && result.stderr.contains("two outbox channels"))
    }

    @Test("threshold 3: approvals made on two branches ratify the change at the merge that joins them")
    func thresholdUnion() throws {
        let team = try Team()
        try team.addHuman("dave")
        try team.addHuman("erin")
        try team.sigit("alice", "grant", "admin", "dave").check()
        try team.sigit("alice", "grant", "admin", "erin").check()
        try team.sigit("alice", "policy", "threshold", "3").check()
        let serial = try team.policySerial()
        let main = try Self.branch(team)
        try team.sigit("alice", "grant", "void", "carol").check()
        try team.git("checkout", "-q", "-b", "b1").check()
        try team.sigit("dave", "policy", "approve").check()
        try team.git("checkout", "-q", main).check()
        try team.git("checkout", "-q", "-b", "b2").check()
        try team.sigit("erin", "policy", "approve").check()
        try team.git("checkout", "-q", main).check()
        try KeyLifecycleTests.merge(team, "b1")
        #expect(try team.policySerial() == serial)
        try KeyLifecycleTests.merge(team, "b2")
        #expect(try team.policySerial() == serial + 1)
        try team.expectClean(not: "admin-only")
    }

    @Test("two delegations to one delegate joined by a merge: the earlier counts, the other recipient acts themselves")
    func delegationCollision() throws {
        let team = try DelegationTests.team()
        try team.sigit("alice", "approve", "nda-1").check()
        let main = try Self.branch(team)
        try team.git("checkout", "-q", "-b", "b1").check()
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        try team.git("checkout", "-q", main).check()
        try team.sigit("carol", "delegate", "nda-1", "--to", "dave", "--step", "signatures").check()
        try KeyLifecycleTests.merge(team, "b1")
        try team.sigit("dave", "approve", "nda-1").check()
        let behalf = try team.git("log", "-1", "--format=%(trailers:key=Sigit-On-Behalf-Of,valueonly)").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let other = behalf == "bob" ? "carol" : "bob"
        #expect(["bob", "carol"].contains(behalf))
        try team.sigit(other, "approve", "nda-1").check()
        #expect(try team.status()["state"] as? String == "completed")
        try team.expectClean(not: "delegation")
    }

    @Test("policy takeover: a departed admin's fork that revokes alice and adds an admin stays out, in both merge directions",
          arguments: ["main-first", "fork-first"])
    func mutualTaint(direction: String) throws {
        let team = try Team()
        try team.addHuman("dave")
        try team.sigit("alice", "grant", "admin", "dave").check()
        let before = try team.tip()
        let main = try Self.branch(team)
        let retiredAt = Date().addingTimeInterval(-1)
        try team.editPolicy { Team.keyAttribute($0, identity: "dave", "valid-before: \(KeyLifecycleTests.rfc3339(retiredAt))") }
        try team.sigit("alice", "approve", "nda-1").check()
        try team.git("checkout", "-q", "-b", "fork", before).check()
        let backdated = ["GIT_COMMITTER_DATE": "@\(Int(retiredAt.timeIntervalSince1970) - 1) +0000"]
        let mallory = try String(contentsOfFile: team.sandbox.path("keys/mallory.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try team.editPolicy(signedBy: "dave", extra: backdated) { text in
            var t = Team.keyAttribute(text, identity: "alice", "revoked: true")
            t = t.replacingOccurrences(of: "\nidentities:\n", with: "\nidentities:\n  mallory:\n    name: Mallory\n    email: mallory@example.com\n    keys:\n    - key: \(mallory)\n")
            t = t.replacingOccurrences(of: "  admin:\n", with: "  admin:\n  - mallory\n")
            return t
        }.check()
        if direction == "main-first" {
            try team.git("checkout", "-q", main).check()
            try team.git("-c", "user.name=X", "-c", "user.email=x@example.com", "merge", "-q", "--no-edit", "--no-gpg-sign", "-s", "ours", "fork").check()
        } else {
            try team.git("-c", "user.name=X", "-c", "user.email=x@example.com", "merge", "-q", "--no-edit", "--no-gpg-sign", "-s", "ours", main).check()
        }
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations.contains("key-left"))
        #expect(try team.sigit(nil, "policy", "show", "--json").check().stdout.contains("mallory") == false)
        #expect(try team.sigit("mallory", "grant", "void", "mallory").status == 2)
    }
}
