import Crypto
import Foundation

/// The single-use secret of an invitation: 32 random bytes in unpadded base64url (43 characters), sent to the
/// invitee in the link; the policy keeps only its SHA-256.
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
}
