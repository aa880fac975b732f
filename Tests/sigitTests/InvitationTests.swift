import Foundation
import SigitCore
import SSHSig
import Testing

/// Spec section 9 without a browser: `sigit invite`, then enrollment and decisions through the very calls `sigit serve`
/// makes (prepare, a WebAuthn signature by a software passkey, complete), and the rules `enrollment` and
/// `invitation-scope` on hand-made histories. The browser itself is driven in Tests/browser/.
@Suite("invitations and passkey enrollment", .serialized)
struct InvitationTests {
    /// alice invites dana for nda-2's signatures, bot drafts nda-2 naming dana and sends it, alice passes legal review.
    static func invitedTeam() throws -> (Team, String) {
        let team = try Team(nda: false)
        let secret = try team.invite("dana")
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Acme", "--set", "our_signer=bob", "--set", "their_signer=dana").check()
        try team.sigit("bot", "send", "nda-2").check()
        try team.sigit("alice", "approve", "nda-2").check()
        return (team, secret)
    }

    @Test("invite, enroll, approve: stock git verifies the passkey's commits, verify passes, status and the certificate show dana")
    func happyPath() throws {
        let (team, secret) = try Self.invitedTeam()
        #expect(InvitationSecret.isWellFormed(secret))
        // The repository holds the hash, never the secret.
        let policyText = try String(contentsOfFile: team.sandbox.path("repo/.sigit/policy.yml"), encoding: .utf8)
        #expect(!policyText.contains(secret))
        #expect(policyText.contains(InvitationSecret.sha256Hex(secret)))
        let log = try team.git("log", "-p", "--all").check().stdout
        #expect(!log.contains(secret))

        #expect(try team.sigit(nil, "identity", "list").check().stdout.contains("invited for nda-2 step signatures, link expires"))
        let view = try #require(try team.workspace().invitationView(secret: secret))
        #expect(view.invitee.id == "dana" && view.enrollment == .allowed && view.invitedBy == "alice")
        #expect(view.documents.contains { $0.path == "nda.md" } && view.agreement?.state == "in-progress")

        let passkey = try Team.passkey(seed: 7)
        let enrollment = try team.enroll(secret: secret, passkey: passkey)
        let allowed = team.sandbox.path("repo/.sigit/allowed_signers")
        let stock = try team.git("-c", "gpg.ssh.allowedSignersFile=\(allowed)", "verify-commit", enrollment)
        #expect(stock.status == 0, "git verify-commit: \(stock.stderr)")
        #expect(stock.stderr.contains("Good \"git\" signature for dana@acme.example with ECDSA-SK key"))
        #expect(try team.sigit(nil, "identity", "list").check().stdout.contains("invited for nda-2 step signatures, enrolled"))
        // The link enrolled once: the view says so, and another passkey is refused before anything is written.
        let after = try #require(try team.workspace().invitationView(secret: secret))
        #expect(after.enrollment != .allowed && after.decision == .allowed && after.openStep == "signatures")
        let head = try team.tip()
        #expect(throws: SigitError.self) { try team.enroll(secret: secret, passkey: try Team.passkey(seed: 8)) }
        #expect(try team.tip() == head)

        let approval = try team.decide(secret: secret, passkey: passkey)
        let stockApproval = try team.git("-c", "gpg.ssh.allowedSignersFile=\(allowed)", "verify-commit", approval)
        #expect(stockApproval.status == 0, "git verify-commit: \(stockApproval.stderr)")
        try team.sigit("bob", "approve", "nda-2").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0, "verify: \(verdict.messages)")
        let status = try team.sigit(nil, "status", "nda-2", "--json").json()
        #expect(status["state"] as? String == "completed")
        let steps = try #require(status["steps"] as? [[String: Any]])
        let slots = steps.flatMap { ($0["slots"] as? [[String: Any]]) ?? [] }
        #expect(slots.contains { $0["identity"] as? String == "dana" && $0["state"] as? String == "approved" })
        let certificate = try team.sigit(nil, "certificate", "nda-2").check().stdout
        #expect(certificate.contains("dana") && certificate.contains("webauthn-sk"))
        // The enrollment and the invite are policy events about the invitee, not dropped agreement events.
        let json = try team.sigit(nil, "certificate", "nda-2", "--json").check().stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.filter { ["enroll", "invite"].contains($0["action"] as? String) }.map { $0["effect"] as? String } == ["policy", "policy"], "\(events)")
        let entries = try team.sigit(nil, "log", "--json").check().stdout
        #expect(entries.contains("\"enroll\"") && entries.contains("http://localhost:8080"))
        // The evidence package: VERIFY.md's stock-git checks pass on the passkey's commits, and so does sigit verify --export.
        try team.sigit("alice", "seal", "nda-2").check()
        try team.sigit(nil, "export", "nda-2", "-o", team.sandbox.path("pkg")).check()
        let guide = try ExportTests.runGuide(team, "pkg")
        #expect(guide.status == 0 && guide.stdout.contains("signatures ok"), "\(guide.stdout) \(guide.stderr)")
        let root = try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let exported = try team.sandbox.run(Sandbox.sigitBinary, ["verify", "--export", team.sandbox.path("pkg"), "--root", root], in: team.sandbox.root.path)
        #expect(exported.status == 0 && exported.stdout.contains("nda-2 is completed"), "\(exported.stdout) \(exported.stderr)")
    }

    @Test("the request notice to an invitee points to the invitation link, not to sigit commands she cannot run")
    func noticeToInvitee() throws {
        let (team, _) = try Self.invitedTeam()
        try team.sigit("alice", "grant", "notify", "bot").check()
        try team.sigit("bot", "notify", "--channel", "outbox:" + team.sandbox.path("notices")).check()
        let mails = try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("notices")).filter { $0.hasSuffix(".eml") }
            .map { try String(contentsOfFile: team.sandbox.path("notices/\($0)"), encoding: .utf8) }
        let toDana = mails.filter { $0.contains("To: ") && $0.contains("dana@acme.example") && $0.contains("Please review and approve") }
        #expect(toDana.count == 1, "\(mails.count) mails")
        #expect(toDana.allSatisfy { $0.contains("Open the link of your invitation") && !$0.contains("sigit approve") })
        let toBob = mails.filter { $0.contains("bob@example.com") && $0.contains("Please review and approve") }
        #expect(toBob.count == 1 && toBob.allSatisfy { $0.contains("sigit approve nda-2") })
    }

    @Test("a decline through the passkey carries its reason; a decision bound to a digest the page no longer shows is refused")
    func declineAndStaleDigest() throws {
        let (team, secret) = try Self.invitedTeam()
        let passkey = try Team.passkey(seed: 9)
        try team.enroll(secret: secret, passkey: passkey)
        let workspace = try team.workspace()
        let stale = "sha256:" + String(repeating: "0", count: 64)
        #expect(throws: SigitError.self) { try workspace.prepareDecision(secret: secret, approve: true, reason: nil, digest: stale) }
        #expect(throws: SigitError.self) { try workspace.prepareDecision(secret: secret, approve: false, reason: "  ", digest: try team.digest("nda-2")) }
        try team.decide(secret: secret, passkey: passkey, approve: false, reason: "Clause 4 <script>alert(1)</script> is too broad")
        let status = try team.sigit(nil, "status", "nda-2", "--json").json()
        #expect(status["state"] as? String == "declined")
        #expect((status["reason"] as? String)?.contains("Clause 4") == true)
        #expect(try team.verify().status == 0)
    }

    @Test("an enrollment signature without user presence is refused after the touch; nothing is written")
    func noUserPresence() throws {
        let (team, secret) = try Self.invitedTeam()
        let head = try team.tip()
        #expect(throws: SigitError.self) { try team.enroll(secret: secret, passkey: try Team.passkey(seed: 11), flags: 0x00) }
        #expect(try team.tip() == head)
        #expect(try team.workspace().invitationView(secret: secret)?.enrollment == .allowed)
    }

    @Test("sigit invite refuses, one line, exit 2 and nothing written: a non-admin, an identity with a key, a bad email, an unknown step, a bad duration")
    func inviteRefusals() throws {
        let team = try Team()
        let before = try team.tip()
        let outbox = "outbox:" + team.sandbox.path("outbox")
        for (who, args) in [("bob", ["invite", "nda-1", "--name", "dana", "--email", "dana@acme.example", "--channel", outbox]),
                            ("alice", ["invite", "nda-1", "--name", "carol", "--email", "carol@example.com", "--channel", outbox]),
                            ("alice", ["invite", "nda-1", "--name", "dana", "--email", "not-an-address", "--channel", outbox]),
                            ("alice", ["invite", "nda-1", "--name", "dana", "--email", "dana@acme.example", "--step", "nope", "--channel", outbox]),
                            ("alice", ["invite", "nda-1", "--name", "dana", "--email", "dana@acme.example", "--expires", "soon", "--channel", outbox]),
                            ("alice", ["invite", "nda-1", "--name", "dana", "--email", "dana@acme.example", "--channel", "carrier-pigeon:x"]),
                            ("alice", ["invite", "nda-1", "--name", "dana", "--email", "dana@acme.example", "--origin", "http://sign.example.com", "--channel", outbox]),
                            ("alice", ["invite", "nda-1", "--name", "dana", "--email", "dana@acme.example", "--origin", "https://sign.example.com/x?y", "--channel", outbox])] {
            let result = try team.sigit(who, args)
            #expect(result.status != 0, "\(args) should be refused")
            #expect(result.stderr.split(separator: "\n").count == 1 || result.stderr.contains("Usage"), "\(args): \(result.stderr)")
            #expect(try team.tip() == before, "\(args) wrote something")
        }
    }
}

/// Hand-made histories for `enrollment` and `invitation-scope`: each names its rule and leaves the policy as it was;
/// the control, made by the same builder, counts.
@Suite("enrollment and invitation-scope rules", .serialized)
struct EnrollmentRuleTests {
    /// An enrollment of `passkey` for dana built by hand; `edit` changes the policy it writes, `secret`, `time`,
    /// `flags` and `signer` what it carries.
    static func handEnroll(_ team: Team, secret: String, passkey: SoftwareAuthenticator, flags: UInt8 = 0x05, time: Int? = nil,
                           signer: SoftwareAuthenticator? = nil, software: SSHPrivateKey? = nil, proofOverride: String? = nil,
                           edit: (inout Policy) -> Void = { _ in }) throws -> String {
        var policy = try team.policyInForce()
        let time = time ?? Int(Date().timeIntervalSince1970)
        policy.serial += 1
        policy.identities["dana"]?.keys.append(PolicyKey(key: try software?.publicKey ?? SSHPublicKey(blob: passkey.publicKeyBlob)))
        policy.identities["dana"]?.invitation?.enrolled = Date(timeIntervalSince1970: TimeInterval(time))
        edit(&policy)
        let added = try software?.publicKey.blob ?? passkey.publicKeyBlob
        let proof = try proofOverride ?? InvitationSecret.proof(secret, parent: try team.tip(), identity: "dana", passkey: added)
        let message = "enroll dana\n\nSigit-Version: 1\nSigit-Action: enroll\nSigit-Agreement: nda-2\nSigit-Identity: dana\nSigit-Invitation-Proof: \(proof)\n"
        let signing = signer ?? passkey
        return try team.commitPolicy(policy, message: message, name: "Dana Acme", email: "dana@acme.example", time: time) { payload in
            if let software { return try SSHSignature.sign(payload, with: software).armored }
            return try signing.armored(payload, flags: flags, counter: 1, webauthn: signing.kind == .p256 ? .init(origin: Team.passkeyOrigin) : nil)
        }
    }

    static func expectViolation(_ team: Team, _ rule: String, serial: Int, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verdict = try team.verify()
        #expect(verdict.status == 1 && verdict.violations == [rule], "violations \(verdict.violations): \(verdict.messages)", sourceLocation: sourceLocation)
        #expect(try team.policyInForce().serial == serial, "the policy moved", sourceLocation: sourceLocation)
    }

    @Test("control: a hand-made enrollment that follows the rules counts (verify exit 0, the key is dana's)")
    func control() throws {
        let (team, secret) = try InvitationTests.invitedTeam()
        let passkey = try Team.passkey(seed: 20)
        try Self.handEnroll(team, secret: secret, passkey: passkey)
        #expect(try team.verify().status == 0)
        #expect(try team.policyInForce().identities["dana"]?.keys.count == 1)
    }

    @Test("enrollment: a wrong secret, an expired invitation, a used one, a software key, no user presence, an extra change, a wrong enrolled time")
    func violations() throws {
        typealias Case = (String, (Team, String, Int) throws -> Void)
        let cases: [Case] = [
            ("wrong secret", { team, _, _ in try Self.handEnroll(team, secret: InvitationSecret.generate(), passkey: try Team.passkey(seed: 21)) }),
            ("expired", { team, secret, _ in
                let expires = try #require(try team.policyInForce().identities["dana"]?.invitation?.expires)
                try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 22), time: Int(expires.timeIntervalSince1970) + 60) }),
            ("no user presence", { team, secret, _ in try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 23), flags: 0x04) }),
            ("a FIDO key that is no passkey (sk-ssh-ed25519)", { team, secret, _ in
                let sk = try SoftwareAuthenticator(kind: .ed25519, application: Team.relyingParty, seed: Data(repeating: 24, count: 32))
                try Self.handEnroll(team, secret: secret, passkey: sk) }),
            ("a software key", { team, secret, _ in
                try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 31), software: SSHPrivateKey(ed25519Seed: Data(repeating: 32, count: 32))) }),
            ("extra change: dana made an admin", { team, secret, _ in
                try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 25)) { $0.permissions[.admin, default: []].append("dana") } }),
            ("enrolled time is not the committer time", { team, secret, _ in
                try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 26)) { $0.identities["dana"]?.invitation?.enrolled = Date(timeIntervalSince1970: 1) } }),
            ("signed by another passkey than the one added", { team, secret, _ in
                try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 27), signer: try Team.passkey(seed: 28)) }),
            ("the invitation was used", { team, secret, _ in
                try team.enroll(secret: secret, passkey: try Team.passkey(seed: 29))
                try Self.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 30)) }),
        ]
        for (name, make) in cases {
            let (team, secret) = try InvitationTests.invitedTeam()
            try make(team, secret, 0)
            let serial = try team.policyInForce().serial
            let verdict = try team.verify()
            #expect(verdict.status == 1 && verdict.violations == ["enrollment"], "\(name): \(verdict.violations) \(verdict.messages)")
            #expect(try team.policyInForce().serial == serial, "\(name): the policy moved")
            #expect(try team.policyInForce().identities["dana"]?.keys.count ?? 0 <= 1, "\(name): a second key counted")
        }
    }

    @Test("the server's own process, with full access to the repository and its own keys, cannot make an enrollment, approval or decline count")
    func serverCannotForge() throws {
        let (team, secret) = try InvitationTests.invitedTeam()
        let server = try Team.passkey(seed: 40)  // a key the server makes for itself
        // Before the invitee enrolls the server knows only the secret's hash: it guesses.
        try EnrollmentRuleTests.handEnroll(team, secret: InvitationSecret.generate(), passkey: server)
        try EnrollmentRuleTests.expectViolation(team, "enrollment", serial: try team.policyInForce().serial)
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        // The invitee enrolls; from then on the secret is in the repository for anyone to read.
        let passkey = try Team.passkey(seed: 41)
        try team.enroll(secret: secret, passkey: passkey)
        let serial = try team.policyInForce().serial
        try EnrollmentRuleTests.handEnroll(team, secret: secret, passkey: server)
        try EnrollmentRuleTests.expectViolation(team, "enrollment", serial: serial)
        try team.git("reset", "-q", "--hard", "HEAD~1").check()
        // An approval and a decline for dana signed by the server's key, and by a key of the policy that is not dana's.
        let digest = try team.digest("nda-2")
        for (action, key) in [("approve", server), ("decline", server)] {
            let message = "\(action) nda-2 (step signatures)\n\n" + team.trailers(action, identity: "dana", agreement: "nda-2", digest: digest, step: "signatures") + "\n"
            try team.commitObject(message: message, name: "Dana Acme", email: "dana@acme.example", time: Int(Date().timeIntervalSince1970)) { payload in
                try key.armored(payload, flags: 0x05, counter: 5, webauthn: .init(origin: Team.passkeyOrigin))
            }
            let verdict = try team.verify()
            #expect(verdict.status == 1 && verdict.violations == ["unknown-key"], "\(action): \(verdict.violations)")
            let status = try team.sigit(nil, "status", "nda-2", "--json").json()
            #expect(status["state"] as? String == "in-progress")
            try team.git("reset", "-q", "--hard", "HEAD~1").check()
        }
        // The prepared event itself carries nothing that counts: completing it with a signature by another key fails.
        let workspace = try team.workspace()
        let prepared = try workspace.prepareDecision(secret: secret, approve: true, reason: nil, digest: digest)
        let forged = try server.armored(prepared.payload, flags: 0x05, counter: 6, webauthn: .init(origin: Team.passkeyOrigin))
        let head = try team.tip()
        #expect(throws: SigitError.self) { try workspace.complete(prepared, signature: forged) }
        #expect(try team.tip() == head)
        #expect(try team.verify().status == 0)
    }

    @Test("a fork from the enrollment's parent cannot reuse the real enrollment's proof for another passkey; the secret is in no commit")
    func forkCannotReuseTheProof() throws {
        let (team, secret) = try InvitationTests.invitedTeam()
        let parent = try team.tip()
        let enrollment = try team.enroll(secret: secret, passkey: try Team.passkey(seed: 60))
        // Nothing in the history holds the secret, before or after the enrollment.
        #expect(!(try team.git("log", "-p", "--all", "--format=%B").check().stdout.contains(secret)))
        let body = try team.git("log", "-1", "--format=%B", enrollment).check().stdout
        let proof = try #require(body.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Sigit-Invitation-Proof: ") }).dropFirst("Sigit-Invitation-Proof: ".count)
        // The attacker branches from the enrollment's parent and enrolls its own passkey with the proof it read.
        try team.git("checkout", "-q", "-b", "forged", parent).check()
        try EnrollmentRuleTests.handEnroll(team, secret: secret, passkey: try Team.passkey(seed: 61), proofOverride: String(proof))
        let serial = try team.policyInForce().serial
        try EnrollmentRuleTests.expectViolation(team, "enrollment", serial: serial)
        #expect(try team.policyInForce().identities["dana"]?.keys.isEmpty == true)
    }

    @Test("invitation-scope: an invited identity's draft, its approval of another agreement and of another step count nothing")
    func scope() throws {
        let (team, secret) = try InvitationTests.invitedTeam()
        let passkey = try Team.passkey(seed: 50)
        try team.enroll(secret: secret, passkey: passkey)
        let digest = try team.digest("nda-2")
        let cases: [(String, String)] = [
            ("approve nda-2 at legal-review", "approve nda-2 (step legal-review)\n\n" + team.trailers("approve", identity: "dana", agreement: "nda-2", digest: digest, step: "legal-review") + "\n"),
            ("void nda-2", "void nda-2\n\nno\n\n" + team.trailers("void", identity: "dana", agreement: "nda-2") + "\n"),
            ("notify", "notify\n\nSigit-Version: 1\nSigit-Action: notify\nSigit-Agreement: nda-2\nSigit-Identity: dana\nSigit-Recipient: bob\nSigit-Notice: reminder\nSigit-Channel: outbox\n"),
        ]
        for (name, message) in cases {
            try team.commitObject(message: message, name: "Dana Acme", email: "dana@acme.example", time: Int(Date().timeIntervalSince1970)) { payload in
                try passkey.armored(payload, flags: 0x05, counter: 9, webauthn: .init(origin: Team.passkeyOrigin))
            }
            let verdict = try team.verify()
            #expect(verdict.status == 1 && verdict.violations == ["invitation-scope"], "\(name): \(verdict.violations) \(verdict.messages)")
            try team.git("reset", "-q", "--hard", "HEAD~1").check()
        }
        // Control: a comment on its agreement is within scope.
        try team.commitObject(message: "comment nda-2\n\nlooks fine\n\n" + team.trailers("comment", identity: "dana", agreement: "nda-2", digest: try team.digest("nda-2")) + "\n",
                              name: "Dana Acme", email: "dana@acme.example", time: Int(Date().timeIntervalSince1970)) { payload in
            try passkey.armored(payload, flags: 0x05, counter: 10, webauthn: .init(origin: Team.passkeyOrigin))
        }
        #expect(try team.verify().status == 0)
    }

    @Test("malformed-event: an invite event whose policy change writes no invitation of its Sigit-Invitee")
    func inviteWithoutInvitation() throws {
        let team = try Team(nda: false)
        var policy = try team.policyInForce()
        policy.serial += 1
        policy.roles["finance"] = ["bob"]
        let serial = policy.serial - 1
        let message = "invite dana\n\nSigit-Version: 1\nSigit-Action: invite\nSigit-Agreement: nda-2\nSigit-Identity: alice\nSigit-Invitee: dana\n"
        try team.commitPolicy(policy, message: message, name: "Alice Example", email: "alice@example.com", time: Int(Date().timeIntervalSince1970)) { payload in
            let key = try SSHPrivateKey(openSSH: try String(contentsOfFile: team.sandbox.path("keys/alice"), encoding: .utf8))
            return try SSHSignature.sign(payload, with: key).armored
        }
        try EnrollmentRuleTests.expectViolation(team, "malformed-event", serial: serial)
    }
}
