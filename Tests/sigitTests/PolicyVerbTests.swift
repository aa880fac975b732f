import Foundation
import Testing

/// The policy verbs (`identity retire|revoke`, `policy threshold|approve|show`) and the ratification rules of
/// spec §3 they rely on: "A policy change ratifies when `threshold` distinct admins of the policy then in force
/// have signed for it: the signer of the commit that changes the file counts as one, each `policy-approve`
/// commit (carrying the new file's `Sigit-Policy-Digest`) descending from it counts as one more."
@Suite("policy verbs (spec §3)")
struct PolicyVerbTests {
    // MARK: setups

    /// The team plus admin dave, with `threshold` admins needed for a policy change.
    static func twoAdmins(threshold: Int = 2, nda: Bool = true) throws -> Team {
        let team = try Team(nda: nda)
        try team.sandbox.key("dave")
        try team.sigit("alice", "identity", "add", "dave", "--email", "dave@example.com", "--public-key", team.sandbox.path("keys/dave.pub")).check()
        try team.sigit("alice", "grant", "admin", "dave").check()
        if threshold > 1 { try team.sigit("alice", "policy", "threshold", String(threshold)).check() }
        return team
    }

    /// Two admins, threshold 2, and alice's proposal to add carol to role legal, pending.
    static func pending() throws -> Team {
        let team = try twoAdmins()
        let proposed = try team.sigit("alice", "role", "add", "legal", "carol").check()
        #expect(proposed.stdout.contains("pending: 1 of 2 admins signed"), "\(proposed.stdout)")
        return team
    }

    // MARK: helpers

    /// `sigit policy show --json`.
    static func show(_ team: Team) throws -> [String: Any] {
        try team.sigit(nil, "policy", "show", "--json").check().json()
    }

    /// The pending changes `policy show --json` lists.
    static func pendingChanges(_ team: Team) throws -> [[String: Any]] {
        try show(team)["pending"] as? [[String: Any]] ?? []
    }

    /// The commit id HEAD names.
    static func head(_ team: Team) throws -> String {
        try team.git("rev-parse", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A stock-git commit signed by `who` as the identity's `name <email>`, optionally with a committer date.
    static func commit(_ team: Team, as who: String, message: String, date: Date? = nil) throws -> String {
        var args = ["-c", "user.name=\(who == "alice" ? "Alice Example" : who)", "-c", "user.email=\(who)@example.com",
                    "-c", "gpg.format=ssh", "-c", "user.signingkey=\(team.sandbox.path("keys/\(who)"))", "commit", "-q", "--allow-empty", "-S", "-m", message]
        var extra: [String: String] = [:]
        if let date {
            let stamp = "\(Int(date.timeIntervalSince1970)) +0000"
            extra = ["GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp]
        }
        try team.sandbox.run("/usr/bin/env", ["git"] + args, in: team.sandbox.path(team.repo), extra: extra).check()
        return try head(team)
    }

    /// A hand-made `policy-approve` message.
    static func approveMessage(identity: String, digest: String) -> String {
        "policy-approve\n\nSigit-Version: 1\nSigit-Action: policy-approve\nSigit-Identity: \(identity)\nSigit-Policy-Digest: \(digest)"
    }

    /// The state of the slot `identity` fills in `step` of agreement `id`.
    static func slotState(_ team: Team, _ id: String, step: String, identity: String) throws -> String? {
        let status = try team.sigit(nil, "status", id, "--json").check().json()
        let steps = status["steps"] as? [[String: Any]] ?? []
        let slots = steps.first { $0["step"] as? String == step }?["slots"] as? [[String: Any]] ?? []
        return slots.first { $0["identity"] as? String == identity }?["state"] as? String
    }

    /// Runs sigit and expects a refusal: exit 2, one line on stderr saying `says`, HEAD and working tree unchanged.
    static func expectRefused(_ team: Team, _ who: String, _ arguments: [String], says: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try head(team)
        let result = try team.sandbox.sigit(team.repo, as: who, arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try head(team) == before, sourceLocation: sourceLocation)
        #expect(try team.git("status", "--porcelain").stdout == "", sourceLocation: sourceLocation)
    }

    // MARK: threshold and policy-approve

    @Test("threshold 2: a change is pending until a second admin runs sigit policy approve, then in force")
    func thresholdTwoFlow() throws {
        let team = try Self.twoAdmins()
        let before = try Self.show(team)
        let serial = try #require(before["serial"] as? Int)
        #expect(before["threshold"] as? Int == 2)

        try team.sigit("alice", "role", "add", "legal", "carol").check()
        // Not in force yet: the policy shown is the old one, the proposal is listed as pending.
        let shown = try Self.show(team)
        #expect(shown["serial"] as? Int == serial)
        #expect((shown["roles"] as? [String: [String]])?["legal"] == ["alice"])
        let pending = try Self.pendingChanges(team)
        try #require(pending.count == 1)
        #expect(pending[0]["serial"] as? Int == serial + 1)
        #expect(pending[0]["approvals"] as? Int == 1)
        #expect(pending[0]["threshold"] as? Int == 2)
        #expect(pending[0]["approvers"] as? [String] == ["alice"])
        #expect(pending[0]["proposed-by"] as? String == "alice")
        let digest = try #require(pending[0]["digest"] as? String)
        let text = try team.sigit(nil, "policy", "show").check().stdout
        #expect(text.contains("# pending: \(digest)") && text.contains("1 of 2 admins signed"), "\(text)")
        // A verb that needs the new role is refused: carol is not in legal yet.
        try Self.expectRefused(team, "carol", ["approve", "nda-1"], says: "not-recipient")

        let approved = try team.sigit("dave", "policy", "approve").check()
        #expect(approved.stdout.contains("serial \(serial + 1) is in force"), "\(approved.stdout)")
        let approval = try Self.head(team)
        let after = try Self.show(team)
        #expect(after["serial"] as? Int == serial + 1)
        #expect((after["roles"] as? [String: [String]])?["legal"] == ["alice", "carol"])
        #expect((after["pending"] as? [Any])?.isEmpty == true)

        // The policy-approve event: tree unchanged, the trailers of the spec, and stock git verifies it.
        #expect(try team.git("diff", "--quiet", "HEAD~1", "HEAD").status == 0)
        let trailers = try team.git("log", "-1", "--format=%(trailers:only,unfold)", approval).check().stdout
            .split(separator: "\n").map(String.init)
        #expect(trailers == ["Sigit-Version: 1", "Sigit-Action: policy-approve", "Sigit-Identity: dave", "Sigit-Policy-Digest: \(digest)"], "\(trailers)")
        #expect(try team.git("verify-commit", approval).status == 0)

        try team.sigit("carol", "approve", "nda-1").check()
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty, "\(verify.messages)")
    }

    @Test("a policy-approve by a non-admin is refused by the verb, and named admin-only when made with stock git")
    func approveByNonAdmin() throws {
        let team = try Self.pending()
        try Self.expectRefused(team, "bob", ["policy", "approve"], says: "bob is not an admin")
        let digest = try #require(try Self.pendingChanges(team).first?["digest"] as? String)
        try Self.commit(team, as: "bob", message: Self.approveMessage(identity: "bob", digest: digest))
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["admin-only"], "\(verify.messages)")
        #expect(try Self.pendingChanges(team).count == 1)
    }

    @Test("control: the same stock-git policy-approve by admin dave ratifies the change")
    func approveByAdminWithGit() throws {
        let team = try Self.pending()
        let digest = try #require(try Self.pendingChanges(team).first?["digest"] as? String)
        try Self.commit(team, as: "dave", message: Self.approveMessage(identity: "dave", digest: digest))
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty, "\(verify.messages)")
        #expect(try Self.show(team)["digest"] as? String == digest)
    }

    @Test("a policy-approve naming a digest that is not pending is named malformed-event")
    func approveUnknownDigest() throws {
        let team = try Self.pending()
        let other = "sha256:" + String(repeating: "0", count: 64)
        try Self.expectRefused(team, "dave", ["policy", "approve", "--digest", other], says: "no pending policy change has digest")
        try Self.commit(team, as: "dave", message: Self.approveMessage(identity: "dave", digest: other))
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["malformed-event"], "\(verify.messages)")
        #expect(try Self.pendingChanges(team).count == 1)
    }

    @Test("two competing proposals (one made with stock git): sigit policy approve needs --digest, then ratifies the one named")
    func severalPending() throws {
        let team = try Self.pending()
        let first = try #require(try Self.pendingChanges(team).first?["digest"] as? String)
        // A competing proposal on the policy in force: same serial, bob renamed.
        let inForce = try #require(try Self.show(team)["commit"] as? String)
        let yaml = try team.git("show", "\(inForce):.sigit/policy.yml").check().stdout
        let serial = try #require(try Self.show(team)["serial"] as? Int)
        let competing = yaml.replacingOccurrences(of: "serial: \(serial)\n", with: "serial: \(serial + 1)\n")
            .replacingOccurrences(of: "name: bob\n", with: "name: Bob Builder\n")
        try #require(competing != yaml)
        try competing.write(toFile: team.sandbox.path("repo/.sigit/policy.yml"), atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/policy.yml").check()
        try team.gitCommit(signedBy: "alice", message: "policy: rename bob\n\nSigit-Version: 1\nSigit-Action: policy\nSigit-Identity: alice",
                           allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        #expect(try Self.pendingChanges(team).count == 2)

        try Self.expectRefused(team, "dave", ["policy", "approve"], says: "name one with --digest")
        try Self.expectRefused(team, "dave", ["policy", "approve", "--digest", "sha256:abc"], says: "malformed digest 'sha256:abc'")
        try team.sigit("dave", "policy", "approve", "--digest", first).check()
        let shown = try Self.show(team)
        #expect(shown["digest"] as? String == first)
        #expect((shown["pending"] as? [Any])?.isEmpty == true)
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
    }

    static let thresholdRefusals: [(admins: Bool, who: String, arguments: [String], says: String)] = [
        (false, "alice", ["policy", "threshold", "0"], "at least 1"),
        (false, "alice", ["policy", "threshold", "2"], "more than the 1 admin"),
        (true, "alice", ["policy", "threshold", "3"], "more than the 2 admin"),
        (false, "alice", ["policy", "threshold", "1"], "already 1"),
        (false, "bob", ["policy", "threshold", "1"], "not an admin"),
        (false, "alice", ["policy", "approve"], "no policy change is pending"),
    ]

    @Test("policy threshold and policy approve refuse bad values, non-admins and nothing to approve", arguments: thresholdRefusals.indices)
    func thresholdRefused(index: Int) throws {
        let (admins, who, arguments, says) = Self.thresholdRefusals[index]
        let team = admins ? try Self.twoAdmins(threshold: 1, nda: false) : try Team(nda: false)
        try Self.expectRefused(team, who, arguments, says: says)
    }

    static let pendingRefusals: [(who: String, arguments: [String], says: String)] = [
        ("alice", ["policy", "approve"], "alice already signed"),
        ("bob", ["policy", "approve"], "bob is not an admin"),
        ("dave", ["grant", "draft", "carol"], "a policy change is pending"),
        ("alice", ["policy", "threshold", "1"], "a policy change is pending"),
        ("dave", ["identity", "retire", "bob"], "a policy change is pending"),
    ]

    @Test("while a change is pending: no second approval by the same admin, no approval by a non-admin, no competing change", arguments: pendingRefusals.indices)
    func pendingRefused(index: Int) throws {
        let (who, arguments, says) = Self.pendingRefusals[index]
        let team = try Self.pending()
        try Self.expectRefused(team, who, arguments, says: says)
    }

    // MARK: retire

    @Test("retire: bob's later signature is named key-window, his earlier approval still counts")
    func retire() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", "nda-2").check()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("alice", "approve", "nda-2").check()
        try team.sigit("bob", "approve", "nda-1").check()
        let earlier = try Self.head(team)
        Thread.sleep(forTimeInterval: 1.1)  // valid-before is in whole seconds: keep bob's approval strictly before it

        let retired = try team.sigit("alice", "identity", "retire", "bob", "--reason", "left the company").check()
        #expect(retired.stdout.contains("retired bob's key"), "\(retired.stdout)")
        let signers = try String(contentsOfFile: team.sandbox.path("repo/.sigit/allowed_signers"), encoding: .utf8)
        #expect(signers.split(separator: "\n").contains { $0.hasPrefix("bob@example.com namespaces=\"git\",valid-before=\"") }, "\(signers)")
        let details = try team.sigit(nil, "identity", "list", "--json").check().json()["identities"] as? [[String: Any]] ?? []
        let bob = details.first { $0["name"] as? String == "bob" }?["key-details"] as? [[String: Any]] ?? []
        #expect(bob.first?["valid-before"] is String)
        #expect(try team.git("log", "-1", "--format=%b", "HEAD").stdout.contains("left the company"))

        // bob signs an approval of nda-2 after valid-before, with stock git.
        let message = "approve nda-2 (step signatures)\n\n" + team.trailers("approve", identity: "bob", agreement: "nda-2", digest: try team.digest("nda-2"), step: "signatures")
        let later = try Self.commit(team, as: "bob", message: message, date: Date().addingTimeInterval(120))
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("key-window"), "\(verify.violations)")
        let report = try team.sigit(nil, "verify", "--json").json()["violations"] as? [[String: Any]] ?? []
        #expect(report.allSatisfy { $0["commit"] as? String == later }, "\(report)")

        // Control: bob's approval made before the retirement still counts, and stock git agrees on both.
        #expect(try Self.slotState(team, "nda-1", step: "signatures", identity: "bob") == "approved")
        #expect(try Self.slotState(team, "nda-2", step: "signatures", identity: "bob") != "approved")
        #expect(try team.git("verify-commit", earlier).status == 0)
        #expect(try team.git("verify-commit", later).status != 0)
    }

    @Test("control: a retirement scheduled with --at keeps the key signing until then")
    func retireScheduled() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let at = Date().addingTimeInterval(3600)
        try team.sigit("alice", "identity", "retire", "bob", "--at", ISO8601DateFormatter().string(from: at)).check()
        try team.sigit("bob", "approve", "nda-1").check()
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty, "\(verify.messages)")
        #expect(try Self.slotState(team, "nda-1", step: "signatures", identity: "bob") == "approved")
    }

    static let retireRefusals: [(who: String, arguments: [String], says: String)] = [
        ("alice", ["identity", "retire", "nobody"], "unknown identity nobody"),
        ("alice", ["identity", "retire", "bob", "--fingerprint", "SHA256:nope"], "bob has no key"),
        ("alice", ["identity", "retire", "bob", "--fingerprint", "CAROL"], "belongs to carol, not bob"),
        ("alice", ["identity", "retire", "bob", "--key", "SHA256:nope"], "--key is the signing key"),
        ("alice", ["identity", "retire", "bob", "--at", "2020-01-01T00:00:00Z"], "lies in the past"),
        ("alice", ["identity", "retire", "bob", "--at", "yesterday"], "RFC 3339"),
        ("alice", ["identity", "retire", "alice"], "would retire itself at once"),
        ("bob", ["identity", "retire", "carol"], "not an admin"),
    ]

    @Test("retire refuses unknown identities and keys, past times, the signing key itself, non-admins", arguments: retireRefusals.indices)
    func retireRefused(index: Int) throws {
        let (who, arguments, says) = Self.retireRefusals[index]
        let team = try Team(nda: false)
        let carol = try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-lf", team.sandbox.path("keys/carol.pub")], in: team.sandbox.root.path).check()
            .stdout.split(separator: " ")[1]
        try Self.expectRefused(team, who, arguments.map { $0 == "CAROL" ? String(carol) : $0 }, says: says)
    }

    @Test("retire refuses a key already retired, and a change that leaves fewer admins with a usable key than the threshold")
    func retireRefusedState() throws {
        let team = try Self.twoAdmins(threshold: 1, nda: false)
        try team.sigit("alice", "identity", "retire", "bob").check()
        try Self.expectRefused(team, "alice", ["identity", "retire", "bob"], says: "already retired")
        try Self.expectRefused(team, "alice", ["identity", "retire", "bob", "--fingerprint", "all"], says: "already revoked or retired")
        try team.sigit("alice", "policy", "threshold", "2").check()
        try Self.expectRefused(team, "alice", ["identity", "retire", "dave"], says: "fewer than the threshold of 2")
    }

    // MARK: revoke

    @Test("revoke: bob's key leaves allowed_signers, and a new signature by it is named key-revoked")
    func revoke() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let revoked = try team.sigit("alice", "identity", "revoke", "bob", "--reason", "laptop stolen").check()
        #expect(revoked.stdout.contains("revoked bob's key"), "\(revoked.stdout)")
        let signers = try String(contentsOfFile: team.sandbox.path("repo/.sigit/allowed_signers"), encoding: .utf8)
        #expect(!signers.contains("bob@example.com"), "\(signers)")
        #expect(try team.sigit(nil, "identity", "list").check().stdout.contains("(revoked)"))
        #expect(try team.verify().status == 0)

        let message = "approve nda-1 (step signatures)\n\n" + team.trailers("approve", identity: "bob", digest: try team.digest("nda-1"), step: "signatures")
        try Self.commit(team, as: "bob", message: message)
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["key-revoked"], "\(verify.messages)")
        #expect(try Self.slotState(team, "nda-1", step: "signatures", identity: "bob") != "approved")
        // And the verb itself: bob's key no longer signs.
        try Self.expectRefused(team, "bob", ["approve", "nda-1"], says: "revoked")
    }

    static let revokeRefusals: [(who: String, arguments: [String], says: String)] = [
        ("alice", ["identity", "revoke", "nobody"], "unknown identity nobody"),
        ("alice", ["identity", "revoke", "bob", "--fingerprint", "SHA256:nope"], "bob has no key"),
        ("alice", ["identity", "revoke", "bob", "--key", "SHA256:nope"], "--key is the signing key"),
        ("alice", ["identity", "revoke", "alice"], "cannot revoke itself"),
        ("bob", ["identity", "revoke", "carol"], "not an admin"),
    ]

    @Test("revoke refuses unknown identities and keys, the signing key itself, non-admins", arguments: revokeRefusals.indices)
    func revokeRefused(index: Int) throws {
        let (who, arguments, says) = Self.revokeRefusals[index]
        let team = try Team(nda: false)
        try Self.expectRefused(team, who, arguments, says: says)
    }

    @Test("revoke refuses a key already revoked, and leaving fewer admins with a usable key than the threshold")
    func revokeRefusedState() throws {
        let team = try Self.twoAdmins(threshold: 1, nda: false)
        try team.sigit("alice", "identity", "revoke", "bob").check()
        try Self.expectRefused(team, "alice", ["identity", "revoke", "bob"], says: "already revoked")
        // Threshold 1: revoking dave leaves alice, enough; with threshold 2 it would leave no way to ratify anything.
        try team.sigit("alice", "policy", "threshold", "2").check()
        try Self.expectRefused(team, "dave", ["identity", "revoke", "alice"], says: "fewer than the threshold of 2")
        try Self.expectRefused(team, "alice", ["identity", "revoke", "dave"], says: "fewer than the threshold of 2")
    }

    @Test("policy approve refuses a change that revokes the approver's own key")
    func approveOwnRevocation() throws {
        let team = try Self.twoAdmins(threshold: 1, nda: false)
        try team.sandbox.key("erin")
        try team.sigit("alice", "identity", "add", "erin", "--email", "erin@example.com", "--public-key", team.sandbox.path("keys/erin.pub")).check()
        try team.sigit("alice", "grant", "admin", "erin").check()
        try team.sigit("alice", "policy", "threshold", "2").check()
        try team.sigit("alice", "identity", "revoke", "dave").check()
        try Self.expectRefused(team, "dave", ["policy", "approve"], says: "revokes the key that would sign this approval")
        try team.sigit("erin", "policy", "approve").check()
        #expect(try team.verify().status == 0)
    }
}
