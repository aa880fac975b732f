import Foundation
import Testing

/// The policy's whole lifecycle from the CLI (issue 15 §3): `role remove`, `ungrant`, `policy withdraw`,
/// `policy sync-signers`, each a signed policy event the verifier judges like any other (spec §3: "A policy
/// change ratifies when `threshold` distinct admins of the policy then in force have signed for it").
@Suite("policy lifecycle (spec §3)")
struct PolicyLifecycleTests {
    /// `.sigit/<name>` at HEAD as stock git reads it.
    static func committed(_ team: Team, _ name: String, at revision: String = "HEAD") throws -> String {
        try team.git("show", "\(revision):.sigit/\(name)").check().stdout
    }

    // MARK: role remove

    @Test("role remove: a signed policy change without the member; the role goes with its last member")
    func roleRemove() throws {
        let team = try Team(nda: false)
        try team.sigit("alice", "role", "add", "legal", "bob").check()
        try team.sigit("alice", "role", "add", "it", "carol").check()
        let removed = try team.sigit("alice", "role", "remove", "legal", "bob").check()
        #expect(removed.stdout.contains("role legal: removed bob in") && removed.stdout.contains("is in force"), "\(removed.stdout)")
        let gone = try team.sigit("alice", "role", "remove", "it", "carol").check()
        #expect(gone.stdout.contains("(the role is gone)"), "\(gone.stdout)")
        let roles = try PolicyVerbTests.show(team)["roles"] as? [String: [String]]
        #expect(roles == ["legal": ["alice"]], "\(String(describing: roles))")
        #expect(try Self.committed(team, "allowed_signers") == (try String(contentsOfFile: team.sandbox.path("repo/.sigit/allowed_signers"), encoding: .utf8)))
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty && verify.warnings.isEmpty, "\(verify)")
    }

    @Test("role remove names the agreements in progress that still route to the role")
    func roleRemoveNote() throws {
        let team = try Team()
        try team.sigit("alice", "role", "add", "legal", "carol").check()
        let removed = try team.sigit("alice", "role", "remove", "legal", "carol").check()
        #expect(removed.stdout.contains("\nnote: nda-1 still routes to role:legal; sigit status shows who can still fill it\n"), "\(removed.stdout)")
        #expect(try team.verify().violations.isEmpty)
    }

    static let roleRefusals: [(arguments: [String], says: String)] = [
        (["role", "remove", "legal", "bob"], "bob is not a member of role legal (alice)"),
        (["role", "remove", "finance", "bob"], "unknown role finance"),
        (["role", "remove", "Legal!", "alice"], "role name"),
        // nda-1 (in progress) routes legal-review to role:legal, whose only member is alice.
        (["role", "remove", "legal", "alice"], "which agreement nda-1 still names"),
    ]

    @Test("role remove refuses an unknown role or member and deleting a role an agreement in progress names", arguments: roleRefusals.indices)
    func roleRemoveRefused(index: Int) throws {
        let (arguments, says) = Self.roleRefusals[index]
        try PolicyVerbTests.expectRefused(try Team(), "alice", arguments, says: says)
    }

    @Test("role remove refuses to delete a role that holds a permission, and to leave no admin")
    func roleRemoveAdmin() throws {
        let team = try Team(nda: false)
        try team.sigit("alice", "role", "add", "owners", "alice").check()
        try team.sigit("alice", "grant", "admin", "role:owners").check()
        try PolicyVerbTests.expectRefused(team, "alice", ["role", "remove", "owners", "alice"], says: "which holds admin; ungrant it first (sigit ungrant admin role:owners)")
        try team.sigit("alice", "role", "add", "owners", "bob").check()
        try team.sigit("alice", "ungrant", "admin", "alice").check()
        // alice and bob are admins only through role owners now.
        try team.sigit("alice", "role", "remove", "owners", "bob").check()
        try PolicyVerbTests.expectRefused(team, "alice", ["role", "remove", "owners", "alice"], says: "which holds admin")
        #expect(try team.verify().violations.isEmpty)
    }

    // MARK: ungrant

    @Test("ungrant: the permission is gone from the policy and the next use of it is refused")
    func ungrant() throws {
        let team = try Team(nda: false)
        let done = try team.sigit("alice", "ungrant", "draft", "bot").check()
        #expect(done.stdout.contains("ungranted draft from bot in"), "\(done.stdout)")
        let permissions = try PolicyVerbTests.show(team)["permissions"] as? [String: [String]] ?? [:]
        #expect(permissions["draft"] == ["alice"], "\(permissions)")
        try PolicyVerbTests.expectRefused(team, "bot", ["new", "nda", "nda-9", "--set", "counterparty=Acme", "--set", "our_signer=bob", "--set", "their_signer=carol"], says: "bot lacks the draft permission")
        #expect(try team.verify().violations.isEmpty)
    }

    static let ungrantRefusals: [(arguments: [String], says: String)] = [
        (["ungrant", "admin", "alice"], "would leave no admin (alice now); grant admin to another human first"),
        (["ungrant", "draft", "carol"], "carol is not granted draft; it is granted to alice, bot"),
        (["ungrant", "void", "carol"], "carol is not granted void; it is granted to alice"),
        (["ungrant", "notify", "carol"], "carol is not granted notify; nobody holds it directly"),
        (["ungrant", "approve", "bob"], "unknown permission \"approve\""),
        (["ungrant", "draft", "role:"], "invalid entry"),
    ]

    @Test("ungrant refuses the last admin, an entry not granted and an unknown permission", arguments: ungrantRefusals.indices)
    func ungrantRefused(index: Int) throws {
        let (arguments, says) = Self.ungrantRefusals[index]
        try PolicyVerbTests.expectRefused(try Team(nda: false), "alice", arguments, says: says)
    }

    @Test("ungrant refuses to leave fewer admins than the threshold, and a non-admin")
    func ungrantThreshold() throws {
        let team = try PolicyVerbTests.twoAdmins(nda: false)
        try PolicyVerbTests.expectRefused(team, "alice", ["ungrant", "admin", "dave"], says: "would leave 1 admins (alice) under the threshold 2; lower it first with sigit policy threshold 1")
        try PolicyVerbTests.expectRefused(team, "bob", ["ungrant", "draft", "bot"], says: "bob is not an admin")
    }

    // MARK: withdraw

    @Test("withdraw: the ratified file comes back, nothing is pending, a later approval of it is refused")
    func withdraw() throws {
        let team = try PolicyVerbTests.pending()
        let digest = try #require(try PolicyVerbTests.pendingChanges(team).first?["digest"] as? String)
        let ratified = try Self.committed(team, "policy.yml", at: "HEAD~1")
        let withdrawn = try team.sigit("dave", "policy", "withdraw", "--digest", digest).check()
        #expect(withdrawn.stdout.contains("withdrew policy change \(digest) in"), "\(withdrawn.stdout)")
        #expect(try PolicyVerbTests.pendingChanges(team).isEmpty)
        #expect(try Self.committed(team, "policy.yml") == ratified)
        #expect(try Self.committed(team, "allowed_signers") == (try Self.committed(team, "allowed_signers", at: "HEAD~2")))
        let trailers = try team.git("log", "-1", "--format=%(trailers:only,unfold)").check().stdout.split(separator: "\n").map(String.init)
        #expect(trailers == ["Sigit-Version: 1", "Sigit-Action: policy", "Sigit-Identity: dave"], "\(trailers)")
        #expect(try team.git("verify-commit", "HEAD").status == 0)
        #expect(try team.verify().violations.isEmpty)

        try PolicyVerbTests.expectRefused(team, "dave", ["policy", "approve"], says: "no policy change is pending; nothing to approve")
        try PolicyVerbTests.expectRefused(team, "dave", ["policy", "withdraw"], says: "no policy change is pending; nothing to withdraw")
        // A stock-git approval of the withdrawn change does not count.
        try PolicyVerbTests.commit(team, as: "dave", message: PolicyVerbTests.approveMessage(identity: "dave", digest: digest))
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["malformed-event"], "\(verify.messages)")
        #expect((try PolicyVerbTests.show(team)["roles"] as? [String: [String]])?["legal"] == ["alice"])
    }

    @Test("withdraw by the proposer, then a new proposal may follow")
    func withdrawThenPropose() throws {
        let team = try PolicyVerbTests.pending()
        try team.sigit("alice", "policy", "withdraw").check()
        let again = try team.sigit("alice", "role", "add", "legal", "bob").check()
        #expect(again.stdout.contains("pending: 1 of 2 admins signed"), "\(again.stdout)")
        let approved = try team.sigit("dave", "policy", "approve").check()
        #expect(approved.stdout.contains("is in force"), "\(approved.stdout)")
        #expect((try PolicyVerbTests.show(team)["roles"] as? [String: [String]])?["legal"] == ["alice", "bob"])
        #expect(try team.verify().violations.isEmpty)
    }

    @Test("a withdrawal forged by a non-admin is admin-only and withdraws nothing; control: an admin's stock-git revert withdraws")
    func forgedWithdrawal() throws {
        let team = try PolicyVerbTests.pending()
        try PolicyVerbTests.expectRefused(team, "bob", ["policy", "withdraw"], says: "bob is not an admin")
        try team.git("checkout", "HEAD~1", "--", ".sigit").check()
        try PolicyVerbTests.commit(team, as: "bob", message: "policy: withdraw")
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["admin-only"], "\(verify.messages)")
        #expect(try PolicyVerbTests.pendingChanges(team).count == 1)
        // Control: the same change signed by admin dave withdraws it.
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        try team.git("checkout", "HEAD~1", "--", ".sigit").check()
        try PolicyVerbTests.commit(team, as: "dave", message: "policy: withdraw")
        #expect(try team.verify().violations.isEmpty)
        #expect(try PolicyVerbTests.pendingChanges(team).isEmpty)
    }

    @Test("a change withdrawn on one branch stays withdrawn when a branch that still has it pending is merged")
    func withdrawalSticksAtMerge() throws {
        let team = try PolicyVerbTests.pending()
        let main = try team.git("rev-parse", "--abbrev-ref", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("branch", "side").check()
        try team.sigit("dave", "policy", "withdraw").check()
        try team.git("checkout", "-q", "side").check()
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try PolicyVerbTests.pendingChanges(team).count == 1)
        try team.git("checkout", "-q", main).check()
        try team.git("merge", "-q", "--no-edit", "--no-gpg-sign", "side").check()
        #expect(try PolicyVerbTests.pendingChanges(team).isEmpty)
        try PolicyVerbTests.expectRefused(team, "dave", ["policy", "approve"], says: "no policy change is pending; nothing to approve")
        #expect(try team.verify().violations.isEmpty)
        #expect(try PolicyVerbTests.slotState(team, "nda-1", step: "legal-review", identity: "alice") == "approved")
        // A new proposal after the withdrawal counts, also through a merge with the branch that never saw it.
        try team.sigit("alice", "role", "add", "legal", "carol").check()
        try team.git("checkout", "-q", "side").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.git("checkout", "-q", main).check()
        try team.git("merge", "-q", "--no-edit", "--no-gpg-sign", "side").check()
        #expect(try PolicyVerbTests.pendingChanges(team).count == 1)
        try team.sigit("dave", "policy", "approve").check()
        #expect((try PolicyVerbTests.show(team)["roles"] as? [String: [String]])?["legal"] == ["alice", "carol"])
        #expect(try team.verify().violations.isEmpty)
    }

    @Test("withdraw refuses a digest that is not pending, a malformed digest and a non-admin")
    func withdrawRefused() throws {
        let team = try PolicyVerbTests.pending()
        try PolicyVerbTests.expectRefused(team, "alice", ["policy", "withdraw", "--digest", "sha256:" + String(repeating: "0", count: 64)], says: "no pending policy change has digest sha256:000")
        try PolicyVerbTests.expectRefused(team, "alice", ["policy", "withdraw", "--digest", "sha1:abc"], says: "malformed digest 'sha1:abc'")
        try PolicyVerbTests.expectRefused(team, "carol", ["policy", "withdraw"], says: "carol is not an admin")
    }

    // MARK: sync-signers

    @Test("sync-signers: after a hand edit, verify's warning names the command, which writes the file the policy gives")
    func syncSigners() throws {
        let team = try Team(nda: false)
        let path = team.sandbox.path("repo/.sigit/policy.yml")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let serial = try #require(try PolicyVerbTests.show(team)["serial"] as? Int)
        text = text.replacingOccurrences(of: "serial: \(serial)\n", with: "serial: \(serial + 1)\n")
            .replacingOccurrences(of: "bob@example.com", with: "bob@example.org")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/policy.yml").check()
        try PolicyVerbTests.commit(team, as: "alice", message: "policy: bob's new address by hand")
        let object = try team.sigit(nil, "verify", "--json").json()
        let warnings = object["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.contains { $0["rule"] as? String == "allowed-signers" && ($0["message"] as? String ?? "").contains("sigit policy sync-signers") }, "\(warnings)")

        try PolicyVerbTests.expectRefused(team, "bob", ["policy", "sync-signers"], says: "bob is not an admin")
        let synced = try team.sigit("alice", "policy", "sync-signers").check()
        #expect(synced.stdout.contains("wrote .sigit/allowed_signers for serial \(serial + 1)"), "\(synced.stdout)")
        #expect(try Self.committed(team, "allowed_signers").contains("bob@example.org namespaces=\"git\""))
        #expect(try team.git("diff", "--name-only", "HEAD~1", "HEAD").check().stdout == ".sigit/allowed_signers\n")
        #expect(try team.git("verify-commit", "HEAD").status == 0)
        #expect(try team.verify().violations.isEmpty)
        try PolicyVerbTests.expectRefused(team, "alice", ["policy", "sync-signers"], says: "already agrees with the policy in force (serial \(serial + 1)); nothing to do")

        // A hand edit of allowed_signers alone is a warning that names the command too; the command undoes it.
        let signers = team.sandbox.path("repo/.sigit/allowed_signers")
        try (try String(contentsOfFile: signers, encoding: .utf8) + "mallory@example.com namespaces=\"git\" ssh-ed25519 AAAA\n").write(toFile: signers, atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/allowed_signers").check()
        try PolicyVerbTests.commit(team, as: "alice", message: "allowed_signers by hand")
        let later = (try team.sigit(nil, "verify", "--json").json()["warnings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "allowed-signers" }
        #expect(later.count == 2 && (later.last?["message"] as? String ?? "").contains("policy in force; an admin runs sigit policy sync-signers"), "\(later)")
        try team.sigit("alice", "policy", "sync-signers").check()
        #expect(!(try Self.committed(team, "allowed_signers")).contains("mallory"))
        #expect(try team.verify().violations.isEmpty)
    }

    @Test("sync-signers refuses while a change is pending")
    func syncSignersPending() throws {
        let team = try PolicyVerbTests.pending()
        try PolicyVerbTests.expectRefused(team, "dave", ["policy", "sync-signers"], says: "a policy change is pending")
    }

    // MARK: sigit new

    @Test("new names every missing value, unknown value and missing role in one line, and writes nothing")
    func newReportsAll() throws {
        let team = try Team(nda: false)
        try PolicyVerbTests.expectRefused(team, "bot", ["new", "nda", "x-1"], says: "template nda needs --set counterparty=... --set our_signer=... --set their_signer=...; nothing was written")
        try PolicyVerbTests.expectRefused(team, "bot", ["new", "nda", "x-1", "--set", "counterparty=Acme", "--set", "colour=red", "--set", "size=xl"],
                                          says: "template nda needs --set our_signer=... --set their_signer=...; has no placeholder \"colour\", \"size\" (it uses counterparty, our_signer, their_signer)")
        try PolicyVerbTests.expectRefused(team, "bot", ["new", "vendor-onboarding", "v-1"],
                                          says: "; names roles procurement, security, finance, it that the policy lacks (sigit role add); nothing was written")
        try PolicyVerbTests.expectRefused(team, "bot", ["new", "nda", "x-1", "--set", "counterparty=Acme", "--set", "our_signer=zed", "--set", "their_signer=carol"],
                                          says: "template nda names identity zed that the policy lacks (sigit identity add); nothing was written")
    }
}
