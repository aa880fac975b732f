import Crypto
import _CryptoExtras
import Foundation

/// The parsed key behind an `SSHPublicKey`, ready for signature verification.
enum SSHKeyMaterial: Sendable {
    /// An `ssh-ed25519` key.
    case ed25519(Curve25519.Signing.PublicKey)
    /// An `ecdsa-sha2-nistp256` key.
    case p256(P256.Signing.PublicKey)
    /// An `ssh-rsa` key; `modulusBytes` is the byte length signatures are padded to.
    case rsa(_RSA.Signing.PublicKey, modulusBytes: Int)

    /// The `ssh-ed25519` algorithm name.
    static let ed25519Name = "ssh-ed25519"
    /// The `ecdsa-sha2-nistp256` algorithm name.
    static let p256Name = "ecdsa-sha2-nistp256"
    /// The `ssh-rsa` key type name.
    static let rsaName = "ssh-rsa"

    /// Parses a public key blob and returns its algorithm name and key.
    static func parse(blob: Data) throws(SSHSigError) -> (algorithm: String, material: SSHKeyMaterial) {
        var reader = SSHWireReader(blob, context: "the public key")
        let algorithm = try reader.readText()
        switch algorithm {
        case ed25519Name:
            let raw = try reader.readString()
            try reader.expectEnd()
            guard raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                throw .malformed("the ssh-ed25519 public key is not 32 bytes")
            }
            return (algorithm, .ed25519(key))
        case p256Name:
            let curve = try reader.readText()
            let point = try reader.readString()
            try reader.expectEnd()
            guard curve == "nistp256" else {
                throw .malformed("the ecdsa-sha2-nistp256 key names curve \(curve)")
            }
            guard point.count == 65, point.first == 0x04,
                  let key = try? P256.Signing.PublicKey(x963Representation: point) else {
                throw .malformed("the ecdsa-sha2-nistp256 key is not a point on the curve")
            }
            return (algorithm, .p256(key))
        case rsaName:
            let exponent = try reader.readPositiveMPInt()
            let modulus = try reader.readPositiveMPInt()
            try reader.expectEnd()
            guard !exponent.isEmpty, !modulus.isEmpty, exponent.count <= modulus.count else {
                throw .malformed("the ssh-rsa key has an empty or oversized number")
            }
            guard modulus.count * 8 >= 2048 else {
                throw .unsupportedKeyType("ssh-rsa shorter than 2048 bits")
            }
            guard modulus.count <= 2048 else {
                throw .unsupportedKeyType("ssh-rsa longer than 16384 bits")
            }
            guard let key = try? _RSA.Signing.PublicKey(n: modulus, e: exponent) else {
                throw .malformed("the ssh-rsa key is not a valid RSA key of at least 2048 bits")
            }
            return (algorithm, .rsa(key, modulusBytes: modulus.count))
        default:
            guard !algorithm.isEmpty, algorithm.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
                throw .malformed("the public key has an invalid algorithm name")
            }
            throw .unsupportedKeyType(algorithm)
        }
    }

    /// Checks an SSH signature blob (`string algorithm, string signature`) over `data`.
    func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        var reader = SSHWireReader(signature, context: "the signature")
        guard let algorithm = try? reader.readText(),
              let raw = try? reader.readString(),
              reader.isAtEnd else { return false }
        switch self {
        case .ed25519(let key):
            guard algorithm == Self.ed25519Name, raw.count == 64 else { return false }
            return key.isValidSignature(raw, for: data)
        case .p256(let key):
            guard algorithm == Self.p256Name else { return false }
            var inner = SSHWireReader(raw, context: "the ecdsa signature")
            guard let r = try? inner.readPositiveMPInt(),
                  let s = try? inner.readPositiveMPInt(),
                  inner.isAtEnd,
                  r.count <= 32, s.count <= 32 else { return false }
            let rawSignature = Self.leftPadded(r, to: 32) + Self.leftPadded(s, to: 32)
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: rawSignature) else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: data))
        case .rsa(let key, let modulusBytes):
            // OpenSSH accepts a signature shorter than the modulus and pads it; BoringSSL wants the full length.
            guard !raw.isEmpty, raw.count <= modulusBytes else { return false }
            let rsa = _RSA.Signing.RSASignature(rawRepresentation: Self.leftPadded(raw, to: modulusBytes))
            switch algorithm {
            case "rsa-sha2-256":
                return key.isValidSignature(rsa, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            case "rsa-sha2-512":
                return key.isValidSignature(rsa, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            default:
                // "ssh-rsa" (SHA-1) signatures are refused, as OpenSSH refuses them for SSHSIG.
                return false
            }
        }
    }

    /// Prefixes `bytes` with zeros up to `length`.
    private static func leftPadded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: max(0, length - bytes.count)) + bytes
    }
}
