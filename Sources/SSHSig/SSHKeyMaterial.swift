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
    /// An `sk-ssh-ed25519@openssh.com` key: an Ed25519 key on a FIDO authenticator, bound to `application`.
    case ed25519SK(Curve25519.Signing.PublicKey, application: [UInt8])
    /// An `sk-ecdsa-sha2-nistp256@openssh.com` key: a P-256 key on a FIDO authenticator, bound to `application`.
    case p256SK(P256.Signing.PublicKey, application: [UInt8])

    /// The `ssh-ed25519` algorithm name.
    static let ed25519Name = "ssh-ed25519"
    /// The `ecdsa-sha2-nistp256` algorithm name.
    static let p256Name = "ecdsa-sha2-nistp256"
    /// The `ssh-rsa` key type name.
    static let rsaName = "ssh-rsa"
    /// The `sk-ssh-ed25519@openssh.com` algorithm name (key and signature).
    static let ed25519SKName = "sk-ssh-ed25519@openssh.com"
    /// The `sk-ecdsa-sha2-nistp256@openssh.com` algorithm name (key and signature).
    static let p256SKName = "sk-ecdsa-sha2-nistp256@openssh.com"
    /// The signature type of an `sk-ecdsa` key used through WebAuthn (a signature type only, never a key type).
    static let webauthnP256SKName = "webauthn-sk-ecdsa-sha2-nistp256@openssh.com"

    /// Parses a public key blob and returns its algorithm name and key.
    static func parse(blob: Data) throws(SSHSigError) -> (algorithm: String, material: SSHKeyMaterial) {
        var reader = SSHWireReader(blob, context: "the public key")
        let algorithm = try reader.readText()
        switch algorithm {
        case ed25519Name:
            let key = try readEd25519(&reader, algorithm: algorithm)
            try reader.expectEnd()
            return (algorithm, .ed25519(key))
        case p256Name:
            let key = try readP256(&reader, algorithm: algorithm)
            try reader.expectEnd()
            return (algorithm, .p256(key))
        case ed25519SKName:
            let key = try readEd25519(&reader, algorithm: algorithm)
            let application = try readApplication(&reader)
            try reader.expectEnd()
            return (algorithm, .ed25519SK(key, application: application))
        case p256SKName:
            let key = try readP256(&reader, algorithm: algorithm)
            let application = try readApplication(&reader)
            try reader.expectEnd()
            return (algorithm, .p256SK(key, application: application))
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

    /// Reads an Ed25519 public key: `string key` of exactly 32 bytes.
    private static func readEd25519(_ reader: inout SSHWireReader, algorithm: String) throws(SSHSigError) -> Curve25519.Signing.PublicKey {
        let raw = try reader.readString()
        guard raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw .malformed("the \(algorithm) public key is not 32 bytes")
        }
        return key
    }

    /// Reads a P-256 public key: `string curve` (`nistp256`), `string Q` (an uncompressed point on the curve).
    private static func readP256(_ reader: inout SSHWireReader, algorithm: String) throws(SSHSigError) -> P256.Signing.PublicKey {
        let curve = try reader.readText()
        let point = try reader.readString()
        guard curve == "nistp256" else {
            throw .malformed("the \(algorithm) key names curve \(curve)")
        }
        guard point.count == 65, point.first == 0x04,
              let key = try? P256.Signing.PublicKey(x963Representation: point) else {
            throw .malformed("the \(algorithm) key is not a point on the curve")
        }
        return key
    }

    /// Reads the `string application` of a FIDO key; like OpenSSH (a C string), it must not contain a NUL byte.
    private static func readApplication(_ reader: inout SSHWireReader) throws(SSHSigError) -> [UInt8] {
        let application = try reader.readString()
        guard !application.contains(0) else {
            throw .malformed("the security key application contains a NUL byte")
        }
        return application
    }

    /// The key type as OpenSSH names it.
    var keyTypeName: String {
        switch self {
        case .ed25519: return Self.ed25519Name
        case .p256: return Self.p256Name
        case .rsa: return Self.rsaName
        case .ed25519SK: return Self.ed25519SKName
        case .p256SK: return Self.p256SKName
        }
    }

    /// The FIDO application the key is bound to (e.g. `ssh:`), for `sk-*` keys.
    var application: [UInt8]? {
        switch self {
        case .ed25519SK(_, let application), .p256SK(_, let application): return application
        case .ed25519, .p256, .rsa: return nil
        }
    }

    /// Checks an SSH signature blob (`string algorithm, string signature`) over `data`.
    func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        (try? verify(signature, for: data)) != nil
    }

    /// Verifies an SSH signature blob over `data` and describes it; throws why it does not verify.
    func verify(_ signature: Data, for data: Data) throws(SSHSigError) -> SSHSignatureDetails {
        switch self {
        case .ed25519SK(let key, let application):
            return try Self.verifyEd25519SK(signature, for: data, key: key, application: application)
        case .p256SK(let key, let application):
            return try Self.verifyP256SK(signature, for: data, key: key, application: application)
        case .ed25519, .p256, .rsa:
            var reader = SSHWireReader(signature, context: "the signature")
            let algorithm = try reader.readText()
            switch (self, algorithm) {
            case (.ed25519, Self.ed25519Name), (.p256, Self.p256Name), (.rsa, "rsa-sha2-256"), (.rsa, "rsa-sha2-512"):
                break
            case (.rsa, Self.rsaName):
                throw .invalidSignature("ssh-rsa (SHA-1) signatures are refused, as OpenSSH refuses them for SSHSIG")
            default:
                throw .invalidSignature("a \(algorithm) signature does not fit a \(keyTypeName) key")
            }
            _ = try reader.readString()
            try reader.expectEnd()
            guard verifyPlain(signature, for: data) else {
                throw .invalidSignature("the \(algorithm) signature does not match the signed data and key")
            }
            return SSHSignatureDetails(algorithm: algorithm, isHardwareBacked: false, flags: nil, counter: nil, webauthnOrigin: nil)
        }
    }

    /// Checks a signature of a key kept in software (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`).
    private func verifyPlain(_ signature: Data, for data: Data) -> Bool {
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
            guard let ecdsa = try? Self.p256Signature(raw, context: "the ecdsa signature") else { return false }
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
        case .ed25519SK, .p256SK:
            return false
        }
    }

    /// Prefixes `bytes` with zeros up to `length`.
    static func leftPadded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: max(0, length - bytes.count)) + bytes
    }
}
