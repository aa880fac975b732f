import Crypto
import Foundation

/// The single-use secret of an invitation: 32 random bytes in unpadded base64url (43 characters), sent to the
/// invitee in the link. The policy keeps its SHA-256 and the public half of an Ed25519 key derived from it; the
/// enrollment carries a signature by that key (`proof`), never the secret.
public enum InvitationSecret {
    /// A new secret from the system's random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64url(Data(bytes))
    }

    /// Whether `text` has the shape of a secret (43 base64url characters); checked before anything is hashed or looked up.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
        }
    }

    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes.
    public static func sha256Hex(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `secret` hashes to `expectedHex`, comparing every byte whatever differs first (constant time in the content).
    public static func matches(_ secret: String, _ expectedHex: String) -> Bool {
        let actual = Array(sha256Hex(secret).utf8)
        let expected = Array(expectedHex.lowercased().utf8)
        guard actual.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in actual.indices { difference |= actual[index] ^ expected[index] }
        return difference == 0
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The Ed25519 key derived from the secret: its seed is SHA-256 of a fixed label and the secret.
    static func proofSigningKey(_ secret: String) throws -> Curve25519.Signing.PrivateKey {
        let seed = SHA256.hash(data: Data("sigit invitation proof key v1\u{0}".utf8) + Data(secret.utf8))
        return try Curve25519.Signing.PrivateKey(rawRepresentation: Data(seed))
    }

    /// The raw public key the policy keeps for the secret.
    public static func proofKey(_ secret: String) throws -> Data {
        try proofSigningKey(secret).publicKey.rawRepresentation
    }

    /// What an enrollment's proof signs: a label, the enrollment's parent commit, the invitee and the passkey's blob,
    /// each length-prefixed, so the proof fits that one parent and that one key.
    static func proofMessage(parent: String, identity: String, passkey: Data) -> Data {
        var message = Data("sigit enroll proof v1".utf8)
        for part in [Data(parent.utf8), Data(identity.utf8), passkey] {
            withUnsafeBytes(of: UInt32(part.count).bigEndian) { message.append(contentsOf: $0) }
            message.append(part)
        }
        return message
    }

    /// The proof that the enrollment of `passkey` for `identity` on `parent` knows the secret (base64, 88 characters).
    public static func proof(_ secret: String, parent: String, identity: String, passkey: Data) throws -> String {
        try proofSigningKey(secret).signature(for: proofMessage(parent: parent, identity: identity, passkey: passkey)).base64EncodedString()
    }

    /// Whether `proof` is a signature by `proofKey` over the enrollment of `passkey` for `identity` on `parent`.
    public static func verifyProof(_ proof: String, proofKey: Data, parent: String, identity: String, passkey: Data) -> Bool {
        guard let signature = Data(base64Encoded: proof), signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: proofKey) else { return false }
        return key.isValidSignature(signature, for: proofMessage(parent: parent, identity: identity, passkey: passkey))
    }
}
