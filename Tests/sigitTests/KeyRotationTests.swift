import Foundation
import Testing

/// `identity add --public-key` and `identity key add|rotate` (issue 15 §2–3): key changes are signed policy changes
/// through sigit, no hand edit of `.sigit/policy.yml`.
@Suite("identity keys: add, rotate, and the new identity's --public-key")
struct KeyRotationTests {
    /// Expects a refusal: exit 2, one line on stderr containing every one of `says`, HEAD unchanged.
    static func expectRefused(_ team: Team, _ who: String?, _ arguments: [String], says: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try team.head()
        let result = try team.sigit(who, arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        for text in says { #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation) }
        #expect(try team.head() == before, sourceLocation: sourceLocation)
        #expect(try team.statusEntries().isEmpty, sourceLocation: sourceLocation)
    }

    /// The lines of the regenerated `.sigit/allowed_signers`.
    static func allowedSigners(_ team: Team) throws -> String {
        try String(contentsOfFile: team.sandbox.path("repo/.sigit/allowed_signers"), encoding: .utf8)
    }

    /// The public key line of `keys/<who>.pub` without its comment.
    static func publicKey(_ team: Team, _ who: String) throws -> String {
        let fields = try String(contentsOfFile: team.sandbox.path("keys/\(who).pub"), encoding: .utf8).split(separator: " ")
        return "\(fields[0]) \(fields[1])"
    }

    @Test("identity add: --public-key (a file, or a key line in git's key:: form) is the new identity's key and the global --key signs, before or after the verb")
    func publicKeyAndGlobalKey() throws {
        let team = try Team(nda: false)
        try team.sandbox.key("dave")
        try team.sandbox.key("erin")
        try team.sigit(nil, "--key", team.sandbox.path("keys/alice"), "identity", "add", "dave", "--email", "dave@example.com",
                       "--public-key", team.sandbox.path("keys/dave.pub")).check()
        try team.sigit(nil, "identity", "add", "erin", "--email", "erin@example.com", "--public-key", "key::" + (try Self.publicKey(team, "erin")),
                       "--key", team.sandbox.path("keys/alice")).check()
        let ids = try team.sigit(nil, "identity", "list", "--json").check().json()["identities"] as? [[String: Any]] ?? []
        #expect(Set(ids.compactMap { $0["name"] as? String }).isSuperset(of: ["dave", "erin"]))
        try team.expectClean(not: "signature")
    }

    @Test("identity add with the old spelling --key PUBKEY fails naming --public-key and --key, and writes nothing")
    func oldSpelling() throws {
        let team = try Team(nda: false)
        try team.sandbox.key("dave")
        try Self.expectRefused(team, nil, ["--key", team.sandbox.path("keys/alice"), "identity", "add", "dave", "--email", "dave@example.com", "--key", team.sandbox.path("keys/dave.pub")],
                               says: ["--public-key", "--key is the key this command signs with"])
        try Self.expectRefused(team, "alice", ["identity", "add", "dave", "--email", "dave@example.com"], says: ["needs --public-key"])
        try Self.expectRefused(team, "alice", ["identity", "add", "dave", "--email", "dave@example.com", "--public-key", team.sandbox.path("keys/dave")],
                               says: ["is a private key file"])
        try Self.expectRefused(team, "alice", ["identity", "key", "add", "bob", "--key", team.sandbox.path("keys/dave.pub")], says: ["--public-key", "--key is the key this command signs with"])
    }

    @Test("key add: bob's second key signs for bob, allowed_signers lists both, stock git verifies it")
    func secondKey() throws {
        let team = try Team()
        try team.sandbox.key("bob2")
        try team.sigit("alice", "identity", "key", "add", "bob", "--public-key", team.sandbox.path("keys/bob2.pub")).check()
        let signers = try Self.allowedSigners(team)
        let bob = try Self.publicKey(team, "bob"), bob2 = try Self.publicKey(team, "bob2")
        #expect(signers.contains(bob) && signers.contains(bob2))
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob2", "approve", "nda-1").check()
        #expect(try team.slotStates(1) == ["approved", "pending"])
        try team.git("verify-commit", "HEAD").check()
        try team.sigit("bob", "inbox").check()  // the first key is still bob's
        try team.expectClean(not: "unknown-key")
    }

    @Test("key add refuses a key any identity lists (its own included) and an unknown identity; nothing is written")
    func keyAddRefusals() throws {
        let team = try Team(nda: false)
        let carol = team.sandbox.path("keys/carol.pub")
        try Self.expectRefused(team, "alice", ["identity", "key", "add", "bob", "--public-key", carol], says: ["carol already lists key", "one key, one identity"])
        try Self.expectRefused(team, "alice", ["identity", "key", "add", "bob", "--public-key", team.sandbox.path("keys/bob.pub")], says: ["bob already lists key"])
        try Self.expectRefused(team, "alice", ["identity", "key", "add", "nobody", "--public-key", team.sandbox.path("keys/mallory.pub")], says: ["unknown identity nobody"])
        try Self.expectRefused(team, "bob", ["identity", "key", "add", "bob", "--public-key", team.sandbox.path("keys/mallory.pub")], says: ["not an admin"])
    }

    @Test("rotate: the new key signs at once, git verify-commit uses the regenerated allowed_signers, and approvals by the old key before stay counted")
    func rotate() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sandbox.key("bob2")
        let out = try team.sigit("alice", "identity", "key", "rotate", "bob", "--public-key", team.sandbox.path("keys/bob2.pub")).check().stdout
        #expect(out.contains("rotated bob's key") && out.contains("old key valid before"), "\(out)")
        let signers = try Self.allowedSigners(team)
        let bob = try Self.publicKey(team, "bob"), bob2 = try Self.publicKey(team, "bob2")
        let old = try #require(signers.split(separator: "\n").first { $0.contains(bob) })
        #expect(old.contains("valid-before="), "\(old)")
        #expect(signers.contains(bob2))
        #expect(try team.slotStates(1) == ["approved", "pending"])
        let listed = try team.sigit(nil, "identity", "key", "list", "bob", "--json").check().json()["keys"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["key"] as? String } == [bob, bob2])
        #expect(listed.first?["valid-before"] is String && listed.last?["valid-before"] == nil)
        #expect(try team.sigit(nil, "identity", "key", "list", "bob").check().stdout.contains("valid before"))
        try Self.expectRefused(team, nil, ["identity", "key", "list", "nobody"], says: ["unknown identity nobody"])
        try Self.expectRefused(team, "bob", ["inbox"], says: ["outside its validity window"])
        try team.sigit("carol", "approve", "nda-1").check()
        try team.git("verify-commit", "HEAD").check()
        try team.sigit("bob2", "inbox").check()
        try team.expectClean(not: "key-window")
    }

    @Test("rotate: an event signed with the rotated-out key after the rotation does not count (key-window)")
    func rotatedOutKeyDoesNotCount() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sandbox.key("bob2")
        try team.sigit("alice", "identity", "key", "rotate", "bob", "--public-key", team.sandbox.path("keys/bob2.pub")).check()
        try Self.expectRefused(team, "bob", ["approve", "nda-1"], says: ["outside its validity window"])
        try team.handApprove("bob", step: "signatures").check()
        try team.expectViolation("key-window")
        #expect(try team.slotStates(1) == ["pending", "pending"])
    }

    @Test("rotate refuses: the signing key retiring itself at once, a time in the past, --fingerprint all, several keys without --fingerprint, a key already listed")
    func rotateRefusals() throws {
        let team = try Team(nda: false)
        try team.sandbox.key("alice2")
        let alice2 = team.sandbox.path("keys/alice2.pub")
        try Self.expectRefused(team, "alice", ["identity", "key", "rotate", "alice", "--public-key", alice2], says: ["would retire itself at once", "--at"])
        try Self.expectRefused(team, "alice", ["identity", "key", "rotate", "bob", "--public-key", alice2, "--at", "2001-01-01T00:00:00Z"], says: ["lies in the past"])
        try Self.expectRefused(team, "alice", ["identity", "key", "rotate", "bob", "--public-key", alice2, "--fingerprint", "all"], says: ["--fingerprint SHA256:"])
        try Self.expectRefused(team, "alice", ["identity", "key", "rotate", "bob", "--public-key", team.sandbox.path("keys/carol.pub")], says: ["carol already lists key"])
        try Self.expectRefused(team, "alice", ["identity", "key", "rotate", "bob", "--key", "SHA256:abc", "--public-key", alice2], says: ["--fingerprint SHA256:abc"])
        try team.sandbox.key("bob2")
        try team.sigit("alice", "identity", "key", "add", "bob", "--public-key", team.sandbox.path("keys/bob2.pub")).check()
        try Self.expectRefused(team, "alice", ["identity", "key", "rotate", "bob", "--public-key", alice2], says: ["bob has 2 keys in use", "--fingerprint"])
        // Scheduled ahead, alice rotates her own key: the old one signs until then, the new one at once.
        let ahead = KeyLifecycleTests.rfc3339(Date().addingTimeInterval(3600))
        try team.sigit("alice", "identity", "key", "rotate", "alice", "--public-key", alice2, "--at", ahead).check()
        try team.sigit("alice2", "grant", "draft", "carol").check()
        try team.sigit("alice", "grant", "draft", "bob").check()
        try team.expectClean(not: "key-window")
    }
}
