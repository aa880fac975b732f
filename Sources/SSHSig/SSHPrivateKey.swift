import Crypto
import _CryptoExtras
import Foundation

/// An unencrypted OpenSSH private key (`ssh-ed25519`, `ecdsa-sha2-nistp256` or `ssh-rsa`), as
/// `ssh-keygen -N ''` writes it, that signs natively.
public struct SSHPrivateKey: SSHSigner, Sendable, CustomStringConvertible {
    /// The public half, carrying the key's comment.
    public let publicKey: SSHPublicKey
    /// The comment stored with the key (often `user@host`); empty when there is none.
    public let comment: String
    /// The signing key.
    private let secret: Secret
    /// The private fields as the file stores them (key type through comment), for `openSSHPEM`.
    private let fields: [UInt8]

    /// The private half of each supported key type.
    private enum Secret: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey, modulusBytes: Int)
    }

    private static let blockSize = 8

    /// The key types this type signs with.
    public static let supportedTypes = [SSHKeyMaterial.ed25519Name, SSHKeyMaterial.p256Name, SSHKeyMaterial.rsaName]

    /// Parses a `-----BEGIN OPENSSH PRIVATE KEY-----` file.
    ///
    /// A passphrase-protected key throws `.encryptedPrivateKey`; a key type other than those in
    /// `supportedTypes` throws `.unsupportedKeyType`. Checks the check-ints and that the private key
    /// matches the public key.
    public init(openSSH pem: String) throws(SSHSigError) {
        let file = try SSHPrivateKeyFile(openSSH: pem)
        guard !file.isEncrypted else { throw .encryptedPrivateKey }
        guard Self.supportedTypes.contains(file.keyType) else { throw .unsupportedKeyType(file.keyType) }
        let outerPublic = try file.publicKey()
        let section = file.privateSection

        guard section.count >= Self.blockSize, section.count % Self.blockSize == 0 else {
            throw .malformed("the private section has an invalid length")
        }
        var inner = SSHWireReader(section, context: "the private key")
        let check1 = try inner.readUInt32()
        let check2 = try inner.readUInt32()
        guard check1 == check2 else {
            throw .malformed("the private key check numbers differ (wrong passphrase or damaged file)")
        }
        let fieldsStart = section.count - inner.remaining
        let type = try inner.readText()
        guard type == file.keyType else { throw .malformed("the private key is \(type) but its public key is \(file.keyType)") }
        let secret: Secret
        let derivedBlob: [UInt8]
        switch type {
        case SSHKeyMaterial.ed25519Name:
            let innerPublic = try inner.readString()
            let raw = try inner.readString()
            guard innerPublic.count == 32, raw.count == 64 else {
                throw .malformed("the ssh-ed25519 private key has the wrong length")
            }
            guard Array(raw[32..<64]) == innerPublic,
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw[0..<32]),
                  [UInt8](key.publicKey.rawRepresentation) == innerPublic else {
                throw .malformed("the private key does not match its public key")
            }
            secret = .ed25519(key)
            derivedBlob = Self.ed25519Blob([UInt8](key.publicKey.rawRepresentation))
        case SSHKeyMaterial.p256Name:
            let curve = try inner.readText()
            let point = try inner.readString()
            let scalar = try inner.readPositiveMPInt()
            guard curve == "nistp256", scalar.count <= 32,
                  let key = try? P256.Signing.PrivateKey(rawRepresentation: Self.leftPadded(scalar, to: 32)),
                  [UInt8](key.publicKey.x963Representation) == point else {
                throw .malformed("the private key does not match its public key")
            }
            secret = .p256(key)
            derivedBlob = Self.p256Blob(point)
        default:
            let n = try inner.readPositiveMPInt()
            let e = try inner.readPositiveMPInt()
            let d = try inner.readPositiveMPInt()
            _ = try inner.readPositiveMPInt()  // iqmp, which BoringSSL derives again
            let p = try inner.readPositiveMPInt()
            let q = try inner.readPositiveMPInt()
            guard let key = try? _RSA.Signing.PrivateKey(n: n, e: e, d: d, p: p, q: q) else {
                throw .malformed("the ssh-rsa private key is not a consistent RSA key of at least 2048 bits")
            }
            secret = .rsa(key, modulusBytes: n.count)
            derivedBlob = Self.rsaBlob(n: n, e: e)
        }
        let comment = try inner.readText()
        let fieldsEnd = section.count - inner.remaining
        let padding = try inner.readBytes(inner.remaining)
        guard padding.count < Self.blockSize,
              padding.enumerated().allSatisfy({ $0.element == UInt8($0.offset + 1) }) else {
            throw .malformed("the private key has invalid padding")
        }
        guard derivedBlob == [UInt8](outerPublic.blob) else {
            throw .malformed("the private key does not match its public key")
        }
        self.secret = secret
        self.comment = comment
        self.fields = Array(section[fieldsStart..<fieldsEnd])
        self.publicKey = SSHPublicKey(algorithm: outerPublic.algorithm, blob: outerPublic.blob,
                                      comment: comment.isEmpty ? nil : comment, material: outerPublic.material)
    }

    /// Makes a key from a 32-byte Ed25519 seed (the first half of OpenSSH's private key field).
    ///
    /// - Precondition: `ed25519Seed` is exactly 32 bytes; this is for tests and key generation,
    ///   not for bytes read from a file (use `init(openSSH:)` for those).
    public init(ed25519Seed: Data, comment: String = "") {
        precondition(ed25519Seed.count == 32, "an Ed25519 seed is 32 bytes")
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: ed25519Seed) else {
            preconditionFailure("an Ed25519 seed is 32 bytes")
        }
        self.init(key: key, comment: comment)
    }

    /// Generates a new random Ed25519 key.
    public static func generateEd25519(comment: String) -> SSHPrivateKey {
        SSHPrivateKey(key: Curve25519.Signing.PrivateKey(), comment: comment)
    }

    private init(key: Curve25519.Signing.PrivateKey, comment: String) {
        let publicRaw = [UInt8](key.publicKey.rawRepresentation)
        var fields = SSHWireWriter()
        fields.writeString(SSHKeyMaterial.ed25519Name)
        fields.writeString(publicRaw)
        fields.writeString([UInt8](key.rawRepresentation) + publicRaw)
        fields.writeString(comment)
        self.secret = .ed25519(key)
        self.fields = fields.bytes
        self.comment = comment
        self.publicKey = SSHPublicKey(
            algorithm: SSHKeyMaterial.ed25519Name,
            blob: Data(Self.ed25519Blob(publicRaw)),
            comment: comment.isEmpty ? nil : comment,
            material: .ed25519(key.publicKey)
        )
    }

    /// Signs `data` and returns an SSH signature blob: `ssh-ed25519`, `ecdsa-sha2-nistp256` (SHA-256) or
    /// `rsa-sha2-512`, as ssh-keygen signs SSHSIG.
    public func sign(_ data: Data) throws -> Data {
        var writer = SSHWireWriter()
        switch secret {
        case .ed25519(let key):
            writer.writeString(SSHKeyMaterial.ed25519Name)
            writer.writeString([UInt8](try key.signature(for: data)))
        case .p256(let key):
            let raw = [UInt8](try key.signature(for: SHA256.hash(data: data)).rawRepresentation)
            var inner = SSHWireWriter()
            inner.writePositiveMPInt(raw[0..<32])
            inner.writePositiveMPInt(raw[32..<64])
            writer.writeString(SSHKeyMaterial.p256Name)
            writer.writeString(inner.bytes)
        case .rsa(let key, let modulusBytes):
            let raw = [UInt8](try key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation)
            writer.writeString("rsa-sha2-512")
            writer.writeString(Self.leftPadded(raw, to: modulusBytes))
        }
        return writer.data
    }

    /// The key as an unencrypted `openssh-key-v1` file that ssh-keygen and ssh-add accept.
    public var openSSHPEM: String {
        let check = UInt32.random(in: .min ... .max)
        var section = SSHWireWriter()
        section.writeUInt32(check)
        section.writeUInt32(check)
        section.writeRaw(fields)
        var pad: UInt8 = 1
        while section.bytes.count % Self.blockSize != 0 {
            section.writeByte(pad)
            pad += 1
        }
        var file = SSHWireWriter()
        file.writeRaw(SSHPrivateKeyFile.magic)
        file.writeString("none")
        file.writeString("none")
        file.writeString([UInt8]())
        file.writeUInt32(1)
        file.writeString([UInt8](publicKey.blob))
        file.writeString(section.bytes)
        return SSHArmor.encode(file.data, label: SSHPrivateKeyFile.label)
    }

    /// Names the key by its public half only, so printing a key never shows the secret.
    public var description: String {
        "SSHPrivateKey(\(publicKey.algorithm) \(publicKey.fingerprint))"
    }

    /// The wire encoding of an Ed25519 public key.
    private static func ed25519Blob(_ raw: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString(SSHKeyMaterial.ed25519Name)
        writer.writeString(raw)
        return writer.bytes
    }

    /// The wire encoding of a P-256 public key from its uncompressed point.
    private static func p256Blob(_ point: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString(SSHKeyMaterial.p256Name)
        writer.writeString("nistp256")
        writer.writeString(point)
        return writer.bytes
    }

    /// The wire encoding of an RSA public key.
    private static func rsaBlob(n: [UInt8], e: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString(SSHKeyMaterial.rsaName)
        writer.writePositiveMPInt(e)
        writer.writePositiveMPInt(n)
        return writer.bytes
    }

    /// Prefixes `bytes` with zeros up to `length`.
    private static func leftPadded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: max(0, length - bytes.count)) + bytes
    }
}

extension SSHPrivateKey: CustomDebugStringConvertible, CustomReflectable {
    /// Same as `description`: the secret is never printed.
    public var debugDescription: String { description }
    /// Hides the secret from `dump` and debuggers.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}
