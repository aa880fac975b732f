import Foundation
import Testing

/// Spec section 7: a step's `assurance` (hardware key, user presence, user verification) decides whether an approve
/// or decline counts (`assurance`), and a FIDO counter that does not rise is a `counter-regression` warning.
@Suite("identity assurance (spec §7)")
struct AssuranceTests {
    /// A team whose NDA's legal-review step has `assurance` (nil: none) and whose role legal also holds dana, whose key
    /// is a software authenticator's; the NDA is sent. `second`: a second NDA nda-2 is sent as well.
    private func team(assurance: String?, second: Bool = false) throws -> (Team, SoftwareAuthenticator) {
        let team = try Team(send: false)
        let authenticator = try SoftwareAuthenticator(kind: .ed25519)
        let pub = team.sandbox.path("keys/dana.pub")
        try (authenticator.publicKeyLine + " dana@token\n").write(toFile: pub, atomically: true, encoding: .utf8)
        try team.sigit("alice", "identity", "add", "dana", "--email", "dana@example.com", "--public-key", pub).check()
        try team.sigit("alice", "role", "add", "legal", "dana").check()
        if let assurance {
            try team.edit("agreements/nda-1/agreement.yml") { $0.replacingOccurrences(of: "    require: 1\n", with: "    require: 1\n    assurance: \(assurance)\n") }
            try team.sigit("bot", "draft", "nda-1", "-m", "legal review needs a stronger signature").check()
        }
        try team.sigit("bot", "send", "nda-1").check()
        if second {
            try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
            try team.sigit("bot", "send", "nda-2").check()
        }
        return (team, authenticator)
    }

    /// Commits dana's `action` of legal-review of `agreement`, signed by `authenticator` with `flags` and `counter`, as
    /// `ssh-keygen -Y sign` with that authenticator would; returns the commit id.
    @discardableResult
    private func fidoEvent(_ team: Team, _ authenticator: SoftwareAuthenticator, action: String = "approve", agreement: String = "nda-1",
                           flags: UInt8, counter: UInt32) throws -> String {
        let tree = try team.git("rev-parse", "HEAD^{tree}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let parent = try team.tip()
        let now = Int(Date().timeIntervalSince1970)
        let message = "\(action) \(agreement) (step legal-review)\n\n"
            + team.trailers(action, identity: "dana", agreement: agreement, digest: try team.digest(agreement), step: "legal-review") + "\n"
        let head = "tree \(tree)\nparent \(parent)\nauthor Dana <dana@example.com> \(now) +0000\ncommitter Dana <dana@example.com> \(now) +0000\n"
        let armored = try authenticator.armored(Data((head + "\n" + message).utf8), flags: flags, counter: counter)
        let gpgsig = "gpgsig " + armored.dropLast().replacingOccurrences(of: "\n", with: "\n ") + "\n"
        let object = team.sandbox.path("fido-commit")
        try (head + gpgsig + "\n" + message).write(toFile: object, atomically: true, encoding: .utf8)
        let id = try team.git("hash-object", "-t", "commit", "-w", object).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("reset", "-q", "--soft", id).check()
        // Stock git agrees the signature is good: what sigit judges is the policy, not the cryptography.
        let stock = try team.git("-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=.sigit/allowed_signers", "verify-commit", "HEAD")
        #expect(stock.status == 0, "\(stock.stderr)")
        return id
    }

    @Test("an approval that lacks what the step's assurance asks does not count and is named assurance",
          arguments: [("{hardware: true}", nil as UInt8?), ("{user-presence: true}", UInt8(0x04)), ("{user-verification: true}", UInt8(0x01)),
                      ("{hardware: true, user-presence: true, user-verification: true}", UInt8(0x01))])
    func shortfall(assurance: String, flags: UInt8?) throws {
        let (team, authenticator) = try team(assurance: assurance)
        if let flags {
            try fidoEvent(team, authenticator, flags: flags, counter: 1)
        } else {
            try team.handApprove("alice", step: "legal-review").check()  // alice's key is a software ed25519 key
        }
        try team.expectViolation("assurance")
        let messages = try team.verify().messages.joined(separator: "\n")
        #expect(messages.contains("the step's assurance is \(assurance)"), "\(messages)")
        #expect(try team.slotStates(0) == ["pending"], "the slot stays open")
    }

    @Test("control: an approval whose signature meets the assurance counts",
          arguments: [("{hardware: true}", UInt8(0x00)), ("{user-presence: true}", UInt8(0x01)), ("{user-verification: true}", UInt8(0x04)),
                      ("{hardware: true, user-presence: true, user-verification: true}", UInt8(0x05))])
    func met(assurance: String, flags: UInt8) throws {
        let (team, authenticator) = try team(assurance: assurance)
        try fidoEvent(team, authenticator, flags: flags, counter: 1)
        try team.expectClean(not: "assurance")
        #expect(try team.slotStates(0) == ["approved"])
    }

    @Test("control: without assurance a software key's approval counts as before")
    func noAssurance() throws {
        let (team, _) = try team(assurance: nil)
        try team.handApprove("alice", step: "legal-review").check()
        try team.expectClean(not: "assurance")
        #expect(try team.slotStates(0) == ["approved"])
    }

    @Test("a decline that lacks the step's assurance does not end the round")
    func decline() throws {
        let (team, authenticator) = try team(assurance: "{user-verification: true}")
        try fidoEvent(team, authenticator, action: "decline", flags: 0x01, counter: 1)
        try team.expectViolation("assurance")
        #expect(try team.status()["state"] as? String == "in-progress")
    }

    @Test("a delegate event by a software key on a step with assurance is named assurance (handing on a slot needs what filling it needs)",
          arguments: [("{hardware: true}", true), ("{}", false)])
    func delegate(assurance: String, refused: Bool) throws {
        let (team, _) = try team(assurance: assurance + "\n    delegation: true")
        let message = "delegate nda-1 (step legal-review) to bob\n\n" + team.trailers("delegate", identity: "alice", step: "legal-review") + "\nSigit-Delegate: bob"
        try team.routingCommit("alice", message: message).check()
        if refused {
            try team.expectViolation("assurance")
            #expect(try team.slotStates(0) == ["pending"])
        } else {
            try team.expectClean(not: "assurance")
        }
    }

    @Test("sigit approve with a software key on a hardware step is refused before signing, with the step's assurance, and writes nothing")
    func writeRefused() throws {
        let (team, _) = try team(assurance: "{hardware: true, user-verification: true}")
        let before = try team.tip()
        let result = try team.sigit("alice", "approve", "nda-1")
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("assurance") && result.stderr.contains("{hardware: true, user-verification: true}"), "\(result.stderr)")
        #expect(try team.tip() == before)
    }

    /// A team whose NDA's legal-review step has `assurance`, with dana (role legal) holding an sk-ed25519 key file made
    /// by sigit-soft-authenticator (built beside sigit); returns the environment in which `ssh-keygen` is that tool.
    private func softAuthenticatorTeam(assurance: String) throws -> (Team, [String: String]) {
        let (team, _) = try team(assurance: assurance)
        let tool = URL(fileURLWithPath: Sandbox.sigitBinary).deletingLastPathComponent().appendingPathComponent("sigit-soft-authenticator").path
        try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: swift build builds it")
        let bin = team.sandbox.path("soft-authenticator")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/ssh-keygen", withDestinationPath: tool)
        let key = team.sandbox.path("keys/dana-sk")
        try team.sandbox.run(tool, ["keygen", "-f", key, "-C", "dana"], in: team.sandbox.root.path).check()
        try team.sigit("alice", "identity", "key", "add", "dana", "--public-key", key + ".pub").check()
        return (team, ["PATH": bin + ":" + (team.sandbox.environment["PATH"] ?? "/usr/bin:/bin"), "SIGIT_SIGNING_KEY": key])
    }

    @Test("sigit approve with a FIDO key whose signature lacks user verification is refused after signing; nothing is written")
    func writeRefusedAfterSigning() throws {
        let (team, environment) = try softAuthenticatorTeam(assurance: "{hardware: true, user-verification: true}")
        let before = try team.tip()
        var touchOnly = environment
        touchOnly["SIGIT_SOFT_AUTHENTICATOR_FLAGS"] = "1"
        let result = try team.sandbox.run(Sandbox.sigitBinary, ["approve", "nda-1"], in: team.sandbox.path(team.repo), extra: touchOnly)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("lacks user-verification") && result.stderr.contains("found in the signature the authenticator made"), "\(result.stderr)")
        #expect(try team.tip() == before)
        #expect(try team.slotStates(0) == ["pending"])
    }

    @Test("control: sigit approve with a FIDO key that verified the user counts; stock git verify-commit accepts it")
    func writeWithFIDOKey() throws {
        let (team, environment) = try softAuthenticatorTeam(assurance: "{hardware: true, user-verification: true}")
        try team.sandbox.run(Sandbox.sigitBinary, ["approve", "nda-1"], in: team.sandbox.path(team.repo), extra: environment).check()
        let stock = try team.git("-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=.sigit/allowed_signers", "verify-commit", "HEAD")
        #expect(stock.status == 0, "\(stock.stderr)")
        try team.expectClean(not: "assurance")
        #expect(try team.slotStates(0) == ["approved"])
    }

    @Test("an assurance that is not a mapping of known booleans is a schema error with file and line",
          arguments: ["{hardware: yes}", "{touch: true}", "true"])
    func schema(assurance: String) throws {
        let team = try Team(send: false)
        try team.edit("agreements/nda-1/agreement.yml") { $0.replacingOccurrences(of: "    require: 1\n", with: "    require: 1\n    assurance: \(assurance)\n") }
        let before = try team.tip()
        let result = try team.sigit("bot", "draft", "nda-1", "-m", "bad assurance")
        #expect(result.status == 2)
        #expect(result.stderr.contains("agreement.yml:9: "), "the line of assurance: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try team.tip() == before)
    }

    @Test("a FIDO counter that does not rise above one its key already showed is a counter-regression warning; the event counts",
          arguments: [(UInt32(7), UInt32(5)), (7, 7)])
    func counterRegression(first: UInt32, second: UInt32) throws {
        let (team, authenticator) = try team(assurance: nil, second: true)
        try fidoEvent(team, authenticator, flags: 0x01, counter: first)
        try fidoEvent(team, authenticator, agreement: "nda-2", flags: 0x01, counter: second)
        let result = try team.verify()
        #expect(result.status == 0, "\(result.violations) \(result.messages)")
        #expect(result.warnings.contains("counter-regression"), "\(result.warnings)")
        #expect(try team.slotStates(0, "nda-2") == ["approved"])
    }

    @Test("counters join at merges by the highest: a lower counter on the other side is not warned, one after the merge is")
    func counterAcrossMerge() throws {
        let (team, authenticator) = try team(assurance: nil, second: true)
        try team.sigit("bot", "new", "nda", "nda-3", "--set", "counterparty=Gamma", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", "nda-3").check()
        try team.git("checkout", "-q", "-b", "side").check()
        try fidoEvent(team, authenticator, agreement: "nda-2", flags: 0x01, counter: 7)
        try team.git("checkout", "-q", "main").check()
        try fidoEvent(team, authenticator, flags: 0x01, counter: 5)  // 7 is on the other side, not in its ancestry
        #expect(try team.verify().warnings.filter { $0 == "counter-regression" }.isEmpty)
        try team.git("merge", "-q", "--no-ff", "--no-edit", "side").check()
        let after = try fidoEvent(team, authenticator, agreement: "nda-3", flags: 0x01, counter: 6)  // below the 7 the merge brought in
        let result = try team.sigit(nil, "verify", "--json")
        let warnings = (try result.json()["warnings"] as? [[String: Any]]) ?? []
        let regressions = warnings.filter { $0["rule"] as? String == "counter-regression" }
        #expect(result.status == 0)
        #expect(regressions.count == 1 && (regressions.first?["commit"] as? String)?.hasPrefix(String(after.prefix(10))) == true, "\(warnings)")
        #expect(try team.slotStates(0, "nda-3") == ["approved"])
    }

    @Test("control: rising counters, and a counter of 0 each time, are not warned",
          arguments: [(UInt32(5), UInt32(7)), (0, 0)])
    func counterControl(first: UInt32, second: UInt32) throws {
        let (team, authenticator) = try team(assurance: nil, second: true)
        try fidoEvent(team, authenticator, flags: 0x01, counter: first)
        try fidoEvent(team, authenticator, agreement: "nda-2", flags: 0x01, counter: second)
        let result = try team.verify()
        #expect(result.status == 0, "\(result.violations) \(result.messages)")
        #expect(!result.warnings.contains("counter-regression"), "\(result.warnings)")
    }
}
