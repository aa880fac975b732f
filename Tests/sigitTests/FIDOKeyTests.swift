import Foundation
import Testing

/// Spec section 7: a FIDO (`sk-*`) key can be listed in the policy, `.sigit/allowed_signers` lists it for stock git,
/// and an event it signs counts like any other signed event (the `assurance` rule: AssuranceTests).
@Suite("FIDO keys in a policy (spec §7)")
struct FIDOKeyTests {
    /// Adds identity dana with a software authenticator's key to role legal, then commits dana's approval of the
    /// legal-review step signed by that authenticator (`corrupt`: the message is changed after signing).
    private func fidoApproval(kind: SoftwareAuthenticator.Kind, webauthn: Bool, corrupt: Bool) throws -> (Team, SoftwareAuthenticator) {
        let team = try Team()
        let authenticator = try SoftwareAuthenticator(kind: kind)
        let pub = team.sandbox.path("keys/dana.pub")
        try (authenticator.publicKeyLine + " dana@token\n").write(toFile: pub, atomically: true, encoding: .utf8)
        try team.sigit("alice", "identity", "add", "dana", "--email", "dana@example.com", "--public-key", pub).check()
        try team.sigit("alice", "role", "add", "legal", "dana").check()
        let signers = try String(contentsOfFile: team.sandbox.path("\(team.repo)/.sigit/allowed_signers"), encoding: .utf8)
        #expect(signers.contains("dana@example.com namespaces=\"git\" \(authenticator.publicKeyLine)\n"))

        let tree = try team.git("rev-parse", "HEAD^{tree}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let parent = try team.tip()
        let now = Int(Date().timeIntervalSince1970)
        let message = "approve nda-1 (step legal-review)\n\n"
            + team.trailers("approve", identity: "dana", digest: try team.digest("nda-1"), step: "legal-review") + "\n"
        let head = "tree \(tree)\nparent \(parent)\nauthor Dana <dana@example.com> \(now) +0000\ncommitter Dana <dana@example.com> \(now) +0000\n"
        let armored = try authenticator.armored(Data((head + "\n" + message).utf8), flags: 0x05, counter: 7,
                                                webauthn: webauthn ? .init(origin: "https://sigit.example") : nil)
        let gpgsig = "gpgsig " + armored.dropLast().replacingOccurrences(of: "\n", with: "\n ") + "\n"
        let stored = corrupt ? message.replacingOccurrences(of: "approve nda-1", with: "approve nda-1 (edited)") : message
        let object = team.sandbox.path("fido-commit")
        try (head + gpgsig + "\n" + stored).write(toFile: object, atomically: true, encoding: .utf8)
        let id = try team.git("hash-object", "-t", "commit", "-w", object).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("reset", "-q", "--soft", id).check()
        return (team, authenticator)
    }

    @Test("an approval signed by a FIDO key of the policy counts, and stock git verify-commit accepts it",
          arguments: [(SoftwareAuthenticator.Kind.ed25519, false), (.p256, false), (.p256, true)])
    func fidoApprovalCounts(kind: SoftwareAuthenticator.Kind, webauthn: Bool) throws {
        let (team, _) = try fidoApproval(kind: kind, webauthn: webauthn, corrupt: false)
        let stock = try team.git("-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=.sigit/allowed_signers", "verify-commit", "HEAD")
        #expect(stock.status == 0, "\(stock.stderr)")
        try team.expectClean(not: "signature")
        #expect(try team.slotStates(0) == ["approved"])
        // Again from the signature cache the first walk wrote (FIDO answers are stored with their details): the same.
        #expect(FileManager.default.fileExists(atPath: team.sandbox.path("\(team.repo)/.git/sigit/cache/signatures-v1")))
        try team.expectClean(not: "signature")
        #expect(try team.slotStates(0) == ["approved"])
    }

    @Test("control: the same FIDO-signed approval with its message changed after signing is named signature")
    func fidoApprovalTampered() throws {
        let (team, _) = try fidoApproval(kind: .ed25519, webauthn: false, corrupt: true)
        #expect(try team.git("-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=.sigit/allowed_signers", "verify-commit", "HEAD").status != 0)
        try team.expectViolation("signature")
    }
}
