import Crypto
import Foundation

/// An unencrypted OpenSSH `ssh-ed25519` private key, as `ssh-keygen -t ed25519 -N ''` writes it.
public struct SSHPrivateKey: SSHSigner, Sendable, CustomStringConvertible {
    /// The public half, carrying the key's comment.
    public let publicKey: SSHPublicKey
    /// The comment stored with the key (often `user@host`); empty when there is none.
    public let comment: String
    /// The Ed25519 signing key.
    private let key: Curve25519.Signing.PrivateKey

    private static let label = "OPENSSH PRIVATE KEY"
    private static let magic = Array("openssh-key-v1".utf8) + [0]
    private static let blockSize = 8

    /// Parses an `-----BEGIN OPENSSH PRIVATE KEY-----` file.
    ///
    /// A passphrase-protected key throws `.encryptedPrivateKey`; a key other than Ed25519
    /// throws `.unsupportedKeyType`. Checks the check-ints and that the private key matches
    /// the public key.
    public init(openSSH pem: String) throws(SSHSigError) {
        let data = try SSHArmor.decode(pem, label: Self.label)
        var reader = SSHWireReader(data, context: "the private key file")
        guard (try? reader.readBytes(Self.magic.count)) == Self.magic else {
            throw .malformed("the private key file does not start with openssh-key-v1")
        }
        let cipher = try reader.readText()
        let kdf = try reader.readText()
        _ = try reader.readString()  // KDF options
        guard cipher == "none", kdf == "none" else { throw .encryptedPrivateKey }
        let count = try reader.readUInt32()
        guard count == 1 else {
            throw .malformed("the private key file holds \(count) keys instead of 1")
        }
        let publicBlob = try reader.readString()
        let section = try reader.readString()
        try reader.expectEnd()

        // The public key type decides whether we can use the key at all.
        let outerPublic = try SSHPublicKey(blob: Data(publicBlob))
        guard outerPublic.algorithm == SSHKeyMaterial.ed25519Name else {
            throw .unsupportedKeyType(outerPublic.algorithm)
        }

        guard section.count >= Self.blockSize, section.count % Self.blockSize == 0 else {
            throw .malformed("the private section has an invalid length")
        }
        var inner = SSHWireReader(section, context: "the private key")
        let check1 = try inner.readUInt32()
        let check2 = try inner.readUInt32()
        guard check1 == check2 else {
            throw .malformed("the private key check numbers differ (wrong passphrase or damaged file)")
        }
        let type = try inner.readText()
        guard type == SSHKeyMaterial.ed25519Name else { throw .unsupportedKeyType(type) }
        let innerPublic = try inner.readString()
        let secret = try inner.readString()
        let comment = try inner.readText()
        let padding = try inner.readBytes(inner.remaining)
        guard padding.count < Self.blockSize,
              padding.enumerated().allSatisfy({ $0.element == UInt8($0.offset + 1) }) else {
            throw .malformed("the private key has invalid padding")
        }
        guard innerPublic.count == 32, secret.count == 64 else {
            throw .malformed("the ssh-ed25519 private key has the wrong length")
        }
        guard Array(secret[32..<64]) == innerPublic,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: secret[0..<32]),
              [UInt8](key.publicKey.rawRepresentation) == innerPublic,
              Self.ed25519Blob(innerPublic) == [UInt8](outerPublic.blob) else {
            throw .malformed("the private key does not match its public key")
        }
        self.init(key: key, comment: comment)
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
        self.key = key
        self.comment = comment
        self.publicKey = SSHPublicKey(
            algorithm: SSHKeyMaterial.ed25519Name,
            blob: Data(Self.ed25519Blob([UInt8](key.publicKey.rawRepresentation))),
            comment: comment.isEmpty ? nil : comment,
            material: .ed25519(key.publicKey)
        )
    }

    /// Signs `data` with Ed25519 and returns an `ssh-ed25519` signature blob.
    public func sign(_ data: Data) throws -> Data {
        let signature = try key.signature(for: data)
        var writer = SSHWireWriter()
        writer.writeString(SSHKeyMaterial.ed25519Name)
        writer.writeString([UInt8](signature))
        return writer.data
    }

    /// The key as an unencrypted `openssh-key-v1` file that ssh-keygen and ssh-add accept.
    public var openSSHPEM: String {
        let publicRaw = [UInt8](key.publicKey.rawRepresentation)
        let check = UInt32.random(in: .min ... .max)
        var section = SSHWireWriter()
        section.writeUInt32(check)
        section.writeUInt32(check)
        section.writeString(SSHKeyMaterial.ed25519Name)
        section.writeString(publicRaw)
        section.writeString([UInt8](key.rawRepresentation) + publicRaw)
        section.writeString(comment)
        var pad: UInt8 = 1
        while section.bytes.count % Self.blockSize != 0 {
            section.writeByte(pad)
            pad += 1
        }
        var file = SSHWireWriter()
        file.writeRaw(Self.magic)
        file.writeString("none")
        file.writeString("none")
        file.writeString([UInt8]())
        file.writeUInt32(1)
        file.writeString(Self.ed25519Blob(publicRaw))
        file.writeString(section.bytes)
        return SSHArmor.encode(file.data, label: Self.label)
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
}

extension SSHPrivateKey: CustomDebugStringConvertible, CustomReflectable {
    /// Same as `description`: the secret is never printed.
    public var debugDescription: String { description }
    /// Hides the secret from `dump` and debuggers.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}
