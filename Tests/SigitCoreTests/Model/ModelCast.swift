import Foundation
import SSHSig
import TestSupport

/// The people of a generated history: admin alice, humans bob, carol and dave, service bot (owned by alice), and,
/// in histories with invitations (spec section 9), erin, invited by alice, who enrolls a passkey and signs in a
/// browser. Keys are Ed25519, derived from fixed seeds so a replayed seed writes the same bytes; erin's passkeys
/// are software WebAuthn P-256 authenticators, also from fixed seeds.
struct ModelCast {
    /// Identity ids in a stable order.
    static let names = ["alice", "bob", "carol", "dave", "bot"]
    /// Private keys by identity (`bob#2`: bob's second key).
    let keys: [String: SSHPrivateKey]
    /// A key no policy lists (a hosting service's merge button).
    let hosting: SSHPrivateKey
    /// FIDO authenticators: `passkeys` P-256 WebAuthn credentials for the relying party `localhost` (the invitee's,
    /// and others an attacker holds), then one `sk-ssh-ed25519` key (not a passkey).
    let authenticators: [SoftwareAuthenticator]
    /// How many of `authenticators` are P-256 passkeys.
    static let passkeys = 3
    /// The invited identity.
    static let invitee = "erin"
    /// The origin the passkeys sign for.
    static let origin = "http://localhost:8080"

    init() {
        var keys: [String: SSHPrivateKey] = [:]
        for (index, name) in Self.names.enumerated() {
            keys[name] = SSHPrivateKey(ed25519Seed: Data(repeating: UInt8(index + 1), count: 32), comment: name)
        }
        // bob's second key: the same signer can sign one payload twice, canonically, under two commit ids.
        keys["bob#2"] = SSHPrivateKey(ed25519Seed: Data(repeating: 0x22, count: 32), comment: "bob second key")
        self.keys = keys
        hosting = SSHPrivateKey(ed25519Seed: Data(repeating: 0xEE, count: 32), comment: "hosting")
        var authenticators = (0..<Self.passkeys).compactMap { index in
            try? SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: UInt8(0x31 + index), count: 32))
        }
        if let other = try? SoftwareAuthenticator(kind: .ed25519, application: "localhost", seed: Data(repeating: 0x3F, count: 32)) { authenticators.append(other) }
        self.authenticators = authenticators
    }

    /// Kind of an identity as the policy writes it.
    static func kind(_ name: String) -> String { name == "bot" ? "service" : "human" }
    /// Email of an identity.
    static func email(_ name: String) -> String { "\(name)@example.com" }
}
