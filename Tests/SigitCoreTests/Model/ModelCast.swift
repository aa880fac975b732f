import Foundation
import SSHSig

/// The people of a generated history: admin alice, humans bob, carol and dave, service bot (owned by alice).
/// Keys are Ed25519, derived from fixed seeds so a replayed seed writes the same bytes.
struct ModelCast {
    /// Identity ids in a stable order.
    static let names = ["alice", "bob", "carol", "dave", "bot"]
    /// Private keys by identity (`bob#2`: bob's second key).
    let keys: [String: SSHPrivateKey]
    /// A key no policy lists (a hosting service's merge button).
    let hosting: SSHPrivateKey

    init() {
        var keys: [String: SSHPrivateKey] = [:]
        for (index, name) in Self.names.enumerated() {
            keys[name] = SSHPrivateKey(ed25519Seed: Data(repeating: UInt8(index + 1), count: 32), comment: name)
        }
        // bob's second key: the same signer can sign one payload twice, canonically, under two commit ids.
        keys["bob#2"] = SSHPrivateKey(ed25519Seed: Data(repeating: 0x22, count: 32), comment: "bob second key")
        self.keys = keys
        hosting = SSHPrivateKey(ed25519Seed: Data(repeating: 0xEE, count: 32), comment: "hosting")
    }

    /// Kind of an identity as the policy writes it.
    static func kind(_ name: String) -> String { name == "bot" ? "service" : "human" }
    /// Email of an identity.
    static func email(_ name: String) -> String { "\(name)@example.com" }
}
