import Foundation
import Testing

/// Histories built with stock git that break (or, as controls, keep) the signature and policy rules of format v1.
@Suite("signatures and policy (spec §2–3)")
struct SignatureRuleTests {
    // MARK: helpers

    /// Writes `text` to `relative` inside the team repository and stages it.
    private func write(_ team: Team, _ relative: String, _ text: String) throws {
        let url = team.sandbox.root.appendingPathComponent(team.repo).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        try team.git("add", relative).check()
    }

    /// Reads `relative` from the team repository's working tree.
    private func read(_ team: Team, _ relative: String) throws -> String {
        try String(contentsOf: team.sandbox.root.appendingPathComponent(team.repo).appendingPathComponent(relative), encoding: .utf8)
    }

    /// Appends a line to the NDA text and stages it.
    private func editNDA(_ team: Team) throws {
        try write(team, "agreements/nda-1/nda.md", try read(team, "agreements/nda-1/nda.md") + "\nAn extra clause.\n")
    }

    /// The policy's serial.
    private func serial(_ policy: String) throws -> Int {
        let line = try #require(policy.split(separator: "\n").first { $0.hasPrefix("serial:") })
        return try #require(Int(line.dropFirst("serial:".count).trimmingCharacters(in: .whitespaces)))
    }

    /// `policy` with its serial replaced.
    private func withSerial(_ policy: String, _ serial: Int) -> String {
        policy.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("serial:") ? "serial: \(serial)" : String($0) }
            .joined(separator: "\n")
    }

    /// `policy` with bob's display name changed (a harmless edit that keeps allowed_signers as it is).
    private func renamingBob(_ policy: String) throws -> String {
        let edited = policy.replacingOccurrences(of: "name: bob\n", with: "name: Bob Builder\n")
        try #require(edited != policy)
        return edited
    }

    /// `policy` with `member` added to role legal.
    private func addingToLegal(_ policy: String, _ member: String) throws -> String {
        let edited = policy.replacingOccurrences(of: "  legal:\n  - alice\n", with: "  legal:\n  - alice\n  - \(member)\n")
        try #require(edited != policy, "unexpected policy layout:\n\(policy)")
        return edited
    }

    private let policyMessage = "policy: edit\n\nSigit-Version: 1\nSigit-Action: policy\nSigit-Identity: alice"

    /// An approve message for the legal-review step of nda-1 as `identity`, with the current digest.
    private func legalApproval(_ team: Team, identity: String = "alice") throws -> String {
        "approve nda-1 (step legal-review)\n\n" + team.trailers("approve", identity: identity, digest: try team.digest("nda-1"), step: "legal-review")
    }

    // MARK: unsigned

    @Test("an unsigned commit editing an agreement is named unsigned")
    func unsignedEdit() throws {
        let team = try Team()
        try editNDA(team)
        try team.gitCommit(signedBy: nil, message: "tweak the NDA", allowEmpty: false).check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("unsigned"))
    }

    @Test("control: the same edit signed by bot (draft permission) is accepted")
    func signedEditControl() throws {
        let team = try Team()
        try editNDA(team)
        try team.gitCommit(signedBy: "bot", message: "tweak the NDA", allowEmpty: false, name: "bot", email: "bot@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("unsigned"))
        #expect(!verify.violations.contains("permission"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: unknown-key

    @Test("an approval signed by a key outside the policy is named unknown-key")
    func unknownKey() throws {
        let team = try Team()
        try team.gitCommit(signedBy: "mallory", message: try legalApproval(team), name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("unknown-key"))
    }

    @Test("control: the same approval signed by alice is accepted")
    func knownKeyControl() throws {
        let team = try Team()
        try team.gitCommit(signedBy: "alice", message: try legalApproval(team), name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("unknown-key"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: signature

    /// Commits alice's approval, then (if `corrupt`) rewrites the commit object so that its gpgsig no longer matches.
    private func approvalObject(corrupt: Bool) throws -> Team {
        let team = try Team()
        try team.gitCommit(signedBy: "alice", message: try legalApproval(team), name: "Alice Example", email: "alice@example.com").check()
        let raw = try team.git("cat-file", "commit", "HEAD").check().stdout
        #expect(raw.contains("gpgsig -----BEGIN SSH SIGNATURE-----"))
        let rewritten = corrupt ? raw.replacingOccurrences(of: "approve nda-1 (step legal-review)", with: "approve nda-1 (step legal-review, edited)") : raw
        #expect(corrupt == (rewritten != raw))
        let file = team.sandbox.path("commit-object")
        try rewritten.write(toFile: file, atomically: true, encoding: .utf8)
        let hash = try team.git("hash-object", "-t", "commit", "-w", file).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("reset", "-q", "--soft", hash).check()
        #expect(try team.git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == hash)
        return team
    }

    @Test("a commit whose signature does not match its content is named signature")
    func badSignature() throws {
        let team = try approvalObject(corrupt: true)
        #expect(try team.git("verify-commit", "HEAD").status != 0)
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("signature"))
    }

    @Test("control: the same commit object rewritten byte for byte verifies")
    func goodSignatureControl() throws {
        let team = try approvalObject(corrupt: false)
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("signature"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: identity-mismatch

    @Test("Sigit-Identity alice on a commit signed by bob is named identity-mismatch")
    func identityMismatch() throws {
        let team = try Team()
        try team.gitCommit(signedBy: "bob", message: try legalApproval(team, identity: "alice"), name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("identity-mismatch"))
    }

    @Test("control: Sigit-Identity bob on bob's signed approval of his step is accepted")
    func identityMatchControl() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let message = "approve nda-1 (step signatures)\n\n" + team.trailers("approve", identity: "bob", digest: try team.digest("nda-1"), step: "signatures")
        try team.gitCommit(signedBy: "bob", message: message, name: "bob", email: "bob@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("identity-mismatch"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: tree-changed

    @Test("an approval that also changes a file is named tree-changed")
    func treeChanged() throws {
        let team = try Team()
        let message = try legalApproval(team)
        try write(team, "notes.txt", "a note smuggled into an approval\n")
        try team.gitCommit(signedBy: "alice", message: message, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("tree-changed"))
    }

    @Test("control: the same approval keeping the tree is accepted")
    func treeKeptControl() throws {
        let team = try Team()
        let message = try legalApproval(team)
        try team.gitCommit(signedBy: "alice", message: message, name: "Alice Example", email: "alice@example.com").check()
        #expect(try team.git("diff", "--quiet", "HEAD~1", "HEAD").status == 0)
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("tree-changed"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: admin-only

    @Test("bob (not an admin) adding a file under .sigit/ is named admin-only")
    func adminOnly() throws {
        let team = try Team()
        try write(team, ".sigit/templates/memo/memo.md", "# Memo\n")
        try team.gitCommit(signedBy: "bob", message: "add a memo template", allowEmpty: false, name: "bob", email: "bob@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("admin-only"))
    }

    @Test("control: alice (admin) adding the same file under .sigit/ is accepted")
    func adminOnlyControl() throws {
        let team = try Team()
        try write(team, ".sigit/templates/memo/memo.md", "# Memo\n")
        try team.gitCommit(signedBy: "alice", message: "add a memo template", allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("admin-only"))
        #expect(verify.violations.isEmpty)
    }

    @Test("bob (not an admin) editing .sigit/policy.yml is a violation")
    func nonAdminPolicyEdit() throws {
        let team = try Team()
        let policy = try read(team, ".sigit/policy.yml")
        try write(team, ".sigit/policy.yml", withSerial(try renamingBob(policy), try serial(policy) + 1))
        try team.gitCommit(signedBy: "bob", message: policyMessage.replacingOccurrences(of: "Identity: alice", with: "Identity: bob"),
                           allowEmpty: false, name: "bob", email: "bob@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("admin-only"), "\(verify.violations)")
    }

    // MARK: policy-serial

    @Test("alice editing the policy without raising the serial is named policy-serial")
    func policySerial() throws {
        let team = try Team()
        let policy = try read(team, ".sigit/policy.yml")
        try write(team, ".sigit/policy.yml", try renamingBob(policy))
        try team.gitCommit(signedBy: "alice", message: policyMessage, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("policy-serial"))
    }

    @Test("alice editing the policy and raising the serial by 2 is named policy-serial")
    func policySerialJump() throws {
        let team = try Team()
        let policy = try read(team, ".sigit/policy.yml")
        try write(team, ".sigit/policy.yml", withSerial(try renamingBob(policy), try serial(policy) + 2))
        try team.gitCommit(signedBy: "alice", message: policyMessage, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("policy-serial"))
    }

    @Test("control: the same policy edit with serial + 1 is accepted")
    func policySerialControl() throws {
        let team = try Team()
        let policy = try read(team, ".sigit/policy.yml")
        try write(team, ".sigit/policy.yml", withSerial(try renamingBob(policy), try serial(policy) + 1))
        try team.gitCommit(signedBy: "alice", message: policyMessage, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("policy-serial"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: policy-invalid

    @Test("a policy whose role names an unknown identity is named policy-invalid")
    func policyInvalid() throws {
        let team = try Team()
        let policy = try read(team, ".sigit/policy.yml")
        try write(team, ".sigit/policy.yml", withSerial(try addingToLegal(policy, "nobody"), try serial(policy) + 1))
        try team.gitCommit(signedBy: "alice", message: policyMessage, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("policy-invalid"))
    }

    @Test("control: adding a known identity to the role is accepted")
    func policyValidControl() throws {
        let team = try Team()
        let policy = try read(team, ".sigit/policy.yml")
        try write(team, ".sigit/policy.yml", withSerial(try addingToLegal(policy, "carol"), try serial(policy) + 1))
        try team.gitCommit(signedBy: "alice", message: policyMessage, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("policy-invalid"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: trust-root

    /// A fresh repository whose first commit, made with plain git, adds a policy with admin alice, signed by `signer`.
    private func handMadeRoot(signedBy signer: String?) throws -> Team {
        let team = try Team(nda: false)
        // Start over in a second repository of the same sandbox, then swap it in as `repo`.
        let sandbox = team.sandbox
        try FileManager.default.removeItem(atPath: sandbox.path("repo"))
        try sandbox.run("/usr/bin/env", ["git", "init", "-q", "repo"], in: sandbox.root.path).check()
        let alicePub = try String(contentsOfFile: sandbox.path("keys/alice.pub"), encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let policy = """
        serial: 1
        threshold: 1
        identities:
          alice:
            name: Alice Example
            email: alice@example.com
            kind: human
            keys:
            - key: \(alicePub)
        roles: {}
        permissions:
          admin:
          - alice
          draft:
          - alice
          void:
          - alice

        """
        try write(team, ".sigit/policy.yml", policy)
        try write(team, ".sigit/allowed_signers", "alice@example.com namespaces=\"git\" \(alicePub)\n")
        let message = "init sigit repository (admin alice)\n\nSigit-Version: 1\nSigit-Action: init\nSigit-Identity: alice"
        try team.gitCommit(signedBy: signer, message: message, allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        return team
    }

    @Test("a root policy commit signed by a key outside that policy is named trust-root")
    func trustRootForeign() throws {
        let team = try handMadeRoot(signedBy: "mallory")
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("trust-root"), "\(verify.violations)")
    }

    @Test("an unsigned root policy commit is named trust-root")
    func trustRootUnsigned() throws {
        let team = try handMadeRoot(signedBy: nil)
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("trust-root"), "\(verify.violations)")
    }

    @Test("control: the same hand-made root signed by its admin is accepted")
    func trustRootControl() throws {
        let team = try handMadeRoot(signedBy: "alice")
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("trust-root"))
        #expect(verify.violations.isEmpty)
    }

    // MARK: malformed-event

    @Test("an approval with Sigit-Version: 2 is named malformed-event")
    func malformedVersion() throws {
        let team = try Team()
        let message = try legalApproval(team).replacingOccurrences(of: "Sigit-Version: 1", with: "Sigit-Version: 2")
        try team.gitCommit(signedBy: "alice", message: message, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("malformed-event"))
    }

    @Test("an approval with a duplicate trailer is named malformed-event")
    func malformedDuplicate() throws {
        let team = try Team()
        let message = try legalApproval(team) + "\nSigit-Identity: alice"
        try team.gitCommit(signedBy: "alice", message: message, name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("malformed-event"))
    }

    @Test("control: the well-formed approval is accepted")
    func wellFormedControl() throws {
        let team = try Team()
        try team.gitCommit(signedBy: "alice", message: try legalApproval(team), name: "Alice Example", email: "alice@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(!verify.violations.contains("malformed-event"))
    }

    // MARK: permission

    @Test("carol (no draft permission) editing the NDA, signed, is named permission")
    func permission() throws {
        let team = try Team()
        try editNDA(team)
        try team.gitCommit(signedBy: "carol", message: "tweak the NDA", allowEmpty: false, name: "carol", email: "carol@example.com").check()
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("permission"))
        #expect(!verify.violations.contains("unsigned"))
    }

    // (control: signedEditControl — bot, who holds draft, makes the same edit.)

    // MARK: merges

    /// alice approves legal; bob approves on main and carol on a branch made before bob's approval.
    private func parallelApprovals() throws -> Team {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.git("branch", "side").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.git("checkout", "-q", "side").check()
        try team.sigit("carol", "approve", "nda-1").check()
        try team.git("checkout", "-q", "main").check()
        return team
    }

    @Test("an unsigned clean merge of parallel approvals is accepted and completes the NDA")
    func cleanMerge() throws {
        let team = try parallelApprovals()
        try team.git("merge", "--no-edit", "--no-gpg-sign", "side").check()
        #expect(try team.git("rev-list", "--parents", "-n", "1", "HEAD").stdout.split(separator: " ").count == 3)
        let verify = try team.verify()
        #expect(verify.status == 0, "\(verify.messages)")
        #expect(verify.violations.isEmpty)
        #expect(try team.sigit(nil, "status", "nda-1", "--json").json()["state"] as? String == "completed")
    }

    @Test("an unsigned merge that also edits the NDA is named unsigned")
    func dirtyMerge() throws {
        let team = try parallelApprovals()
        try team.git("merge", "--no-commit", "--no-ff", "side").check()
        try editNDA(team)
        try team.git("commit", "-q", "--no-gpg-sign", "--no-edit").check()
        #expect(try team.git("rev-list", "--parents", "-n", "1", "HEAD").stdout.split(separator: " ").count == 3)
        let verify = try team.verify()
        #expect(verify.status == 1)
        #expect(verify.violations.contains("unsigned"))
    }
}
