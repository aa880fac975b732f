import Foundation
import Testing

/// Keys as people have them (issue 15 §2): found where ssh and git look, ECDSA and RSA files sign natively, an
/// encrypted file signs through ssh-keygen, and read verbs need only the public half.
@Suite("signing keys as people have them")
struct KeySourceTests {
    /// Runs sigit in the team repository without a controlling terminal (setsid), with `extra` in the environment.
    static func detached(_ team: Team, _ extra: [String: String], _ arguments: String...) throws -> RunResult {
        try team.sandbox.run("/usr/bin/setsid", ["-w", Sandbox.sigitBinary] + arguments, in: team.repoPath, extra: extra)
    }

    /// Copies `keys/<who>` (and its .pub) to `relative` under the sandbox HOME.
    static func place(_ team: Team, _ who: String, at relative: String) throws {
        let target = team.sandbox.path("home/" + relative)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: team.sandbox.path("keys/\(who)"), toPath: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
    }

    /// The identity `sigit inbox --json` reports, with no SIGIT_SIGNING_KEY.
    static func me(_ team: Team) throws -> String? {
        try team.sigit(nil, "inbox", "--json").check().json()["identity"] as? String
    }

    /// Adds identity `name` with key `keys/<name>` of `type` and makes it an admin.
    static func addAdmin(_ team: Team, _ name: String, type: String = "ed25519", passphrase: String? = nil) throws {
        if let passphrase {
            try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name, "-f", team.sandbox.path("keys/\(name)")], in: team.sandbox.root.path).check()
        } else {
            try team.sandbox.key(name, type: type)
        }
        try team.sigit("alice", "identity", "add", name, "--email", "\(name)@example.com", "--public-key", team.sandbox.path("keys/\(name).pub")).check()
        try team.sigit("alice", "grant", "admin", name).check()
    }

    @Test("ECDSA P-256 and RSA key files sign natively; stock git verify-commit and sigit verify accept the commits", arguments: ["ecdsa", "rsa"])
    func nativeTypes(type: String) throws {
        let team = try Team(nda: false)
        try Self.addAdmin(team, "dana", type: type)
        try team.sigit("dana", "grant", "draft", "dana").check()
        let shown = try team.git("verify-commit", "--raw", "HEAD").check().stderr
        #expect(shown.contains("GOODSIG") || shown.contains("Good \"git\" signature"), "\(shown)")
        #expect(shown.contains(type == "rsa" ? "RSA" : "ECDSA"), "\(shown)")
        try team.expectClean(not: "signature")
    }

    @Test("a .pub file with its private key beside it and no agent signs with that private key, as ssh-keygen -Y sign does")
    func publicFileBesidePrivate() throws {
        let team = try Team(nda: false)
        try team.sigit(nil, "--key", team.sandbox.path("keys/alice.pub"), "grant", "draft", "carol").check()
        try team.git("verify-commit", "HEAD").check()
        try team.expectClean(not: "signature")
    }

    @Test("an ECDSA P-384 key file is refused with one line naming the supported types, and nothing is written")
    func unsupportedCurve() throws {
        let team = try Team(nda: false)
        try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-t", "ecdsa", "-b", "384", "-N", "", "-f", team.sandbox.path("keys/p384")], in: team.sandbox.root.path).check()
        let before = try team.head()
        let result = try team.sigit("p384", "grant", "draft", "bob")
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("ecdsa-sha2-nistp384 is not supported") && result.stderr.contains("ssh-ed25519, ecdsa-sha2-nistp256 and ssh-rsa"), "\(result.stderr)")
        #expect(!result.stderr.contains("use an ssh-ed25519 key"))
        #expect(try team.head() == before)
    }

    @Test("without --key or SIGIT_SIGNING_KEY: git config user.signingkey (with ~/ and key::), then ~/.ssh/id_ed25519, id_ecdsa, id_ecdsa_sk, id_ed25519_sk, id_rsa")
    func defaultOrder() throws {
        let team = try Team(nda: false)
        let none = try team.sigit(nil, "inbox")
        #expect(none.status == 2)
        #expect(none.stderr.contains("~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_ecdsa_sk, ~/.ssh/id_ed25519_sk, ~/.ssh/id_rsa"), "\(none.stderr)")
        try Self.place(team, "bob", at: ".ssh/id_rsa")
        #expect(try Self.me(team) == "bob")
        try Self.place(team, "carol", at: ".ssh/id_ed25519_sk")
        #expect(try Self.me(team) == "carol")
        try Self.place(team, "bob", at: ".ssh/id_ecdsa_sk")
        #expect(try Self.me(team) == "bob")
        try Self.place(team, "carol", at: ".ssh/id_ecdsa")
        #expect(try Self.me(team) == "carol")
        try Self.place(team, "alice", at: ".ssh/id_ed25519")
        #expect(try Self.me(team) == "alice")
        // user.signingkey comes before the default files; ~/ is HOME, as git reads it.
        try Self.place(team, "bob", at: "elsewhere/work-key")
        try team.git("config", "user.signingkey", "~/elsewhere/work-key").check()
        #expect(try Self.me(team) == "bob")
        // key::<public key>: held by ssh-agent; the read verbs need no agent.
        let carol = try String(contentsOfFile: team.sandbox.path("keys/carol.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("config", "user.signingkey", "key::" + carol).check()
        #expect(try Self.me(team) == "carol")
        // Writing with key:: needs the agent, and says so; nothing is written.
        let before = try team.head()
        let write = try team.sigit(nil, "grant", "draft", "carol")
        #expect(write.status == 2 && write.stderr.contains("ssh-agent"), "\(write.stderr)")
        #expect(try team.head() == before)
        // SIGIT_SIGNING_KEY and --key come first.
        #expect(try team.sigit("alice", "inbox", "--json").check().json()["identity"] as? String == "alice")
        #expect(try team.sigit(nil, "--key", team.sandbox.path("keys/bob"), "inbox", "--json").check().json()["identity"] as? String == "bob")
    }

    @Test("an encrypted key with no agent and no terminal: inbox, status and review work from its public half; a write fails with a clear line and writes nothing")
    func encryptedReadOnly() throws {
        let team = try Team()
        try Self.addAdmin(team, "erin", passphrase: "correct horse")
        try FileManager.default.removeItem(atPath: team.sandbox.path("keys/erin.pub"))  // the file's header holds the public key
        let env = ["SIGIT_SIGNING_KEY": team.sandbox.path("keys/erin")]
        let inbox = try Self.detached(team, env, "inbox", "--json").check().json()
        #expect(inbox["identity"] as? String == "erin")
        try Self.detached(team, env, "status").check()
        let review = try Self.detached(team, env, "review", "nda-1", "--json").check().json()
        #expect(review["reviewer"] as? String == "erin")

        let before = try team.head()
        let write = try Self.detached(team, env, "grant", "draft", "erin")
        #expect(write.status == 2)
        #expect(write.stderr.split(separator: "\n").count == 1, "\(write.stderr)")
        #expect(write.stderr.contains("is encrypted and there is no terminal") && write.stderr.contains("ssh-add") && write.stderr.contains("run sigit in a terminal"), "\(write.stderr)")
        #expect(try team.head() == before)
        #expect(try team.statusEntries().isEmpty)
    }

    @Test("an encrypted key with no agent signs through ssh-keygen -Y sign (passphrase from SSH_ASKPASS); git verify-commit accepts it")
    func encryptedSignsThroughKeygen() throws {
        let team = try Team(nda: false)
        try Self.addAdmin(team, "erin", type: "ecdsa", passphrase: "correct horse")
        let good = team.sandbox.path("keys/askpass")
        try "#!/bin/sh\necho 'correct horse'\n".write(toFile: good, atomically: true, encoding: .utf8)
        let wrong = team.sandbox.path("keys/askpass-wrong")
        try "#!/bin/sh\necho 'battery staple'\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        for path in [good, wrong] { try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path) }
        var env = ["SIGIT_SIGNING_KEY": team.sandbox.path("keys/erin"), "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"]

        env["SSH_ASKPASS"] = wrong
        let before = try team.head()
        let refused = try Self.detached(team, env, "grant", "draft", "erin")
        #expect(refused.status == 2 && refused.stderr.contains("ssh-keygen -Y sign could not sign"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(try team.head() == before)

        env["SSH_ASKPASS"] = good
        try Self.detached(team, env, "grant", "draft", "erin").check()
        #expect(try team.head() != before)
        let shown = try team.git("verify-commit", "HEAD").check().stderr
        #expect(shown.contains("Good \"git\" signature for erin@example.com"), "\(shown)")
        try team.expectClean(not: "signature")
    }

    @Test("an encrypted key file signs through ssh-agent when the agent holds it; an agent without it falls back to ssh-keygen")
    func encryptedThroughAgent() throws {
        let team = try Team(nda: false)
        try Self.addAdmin(team, "erin", passphrase: "correct horse")
        let agent = try LoopbackSSHAgent(sandbox: team.sandbox)
        let env = ["SIGIT_SIGNING_KEY": team.sandbox.path("keys/erin"), "SSH_AUTH_SOCK": agent.socket]
        let before = try team.head()
        let fallback = try Self.detached(team, env, "grant", "draft", "erin")
        #expect(fallback.status == 2 && fallback.stderr.contains("no terminal to ask for its passphrase"), "\(fallback.stderr)")
        #expect(try team.head() == before)

        let askpass = team.sandbox.path("keys/askpass")
        try "#!/bin/sh\necho 'correct horse'\n".write(toFile: askpass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: askpass)
        try team.sandbox.run("/usr/bin/setsid", ["-w", "ssh-add", "-q", team.sandbox.path("keys/erin")], in: team.sandbox.root.path,
                             extra: ["SSH_AUTH_SOCK": agent.socket, "SSH_ASKPASS": askpass, "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"]).check()
        try Self.detached(team, env, "grant", "draft", "erin").check()
        try team.git("verify-commit", "HEAD").check()
        try team.expectClean(not: "signature")
    }

    @Test("'me' is judged like a signature: a retired key is not me now, but is me at a time inside its window")
    func retiredKeyIsNotMe() throws {
        let team = try Team()
        let earlier = KeyLifecycleTests.rfc3339(Date().addingTimeInterval(-5))
        try team.sigit("alice", "identity", "retire", "bob").check()
        let now = try team.sigit("bob", "inbox")
        #expect(now.status == 2 && now.stderr.contains("outside its validity window"), "\(now.stderr)")
        let then = try team.sigit("bob", "inbox", "--json", "--now", earlier).check().json()
        #expect(then["identity"] as? String == "bob")
        try team.sigit("alice", "identity", "revoke", "carol").check()
        let revoked = try team.sigit("carol", "inbox")
        #expect(revoked.status == 2 && revoked.stderr.contains("revoked"), "\(revoked.stderr)")
    }
}
