import Foundation

/// The readable header of an `openssh-key-v1` private key file: its key type, public key and whether a
/// passphrase protects the private half.
///
/// The public key is stored in the clear even in an encrypted file, so a reader learns who the key
/// belongs to without the passphrase or ssh-agent.
public struct SSHPrivateKeyFile: Sendable {
    /// The key type as the file names it, e.g. `ssh-ed25519` or `sk-ssh-ed25519@openssh.com`.
    public let keyType: String
    /// The wire encoding of the public key.
    public let publicKeyBlob: Data
    /// Whether the private section is encrypted (a passphrase protects it).
    public let isEncrypted: Bool
    /// The private section as stored (encrypted or not).
    let privateSection: [UInt8]

    static let label = "OPENSSH PRIVATE KEY"
    static let magic = Array("openssh-key-v1".utf8) + [0]

    /// Reads the header of a `-----BEGIN OPENSSH PRIVATE KEY-----` file.
    public init(openSSH pem: String) throws(SSHSigError) {
        let data = try SSHArmor.decode(pem, label: Self.label)
        var reader = SSHWireReader(data, context: "the private key file")
        guard (try? reader.readBytes(Self.magic.count)) == Self.magic else {
            throw .malformed("the private key file does not start with openssh-key-v1")
        }
        let cipher = try reader.readText()
        let kdf = try reader.readText()
        _ = try reader.readString()  // KDF options
        let count = try reader.readUInt32()
        guard count == 1 else {
            throw .malformed("the private key file holds \(count) keys instead of 1")
        }
        let publicBlob = try reader.readString()
        let section = try reader.readString()
        try reader.expectEnd()
        var keyReader = SSHWireReader(publicBlob, context: "the public key")
        keyType = try keyReader.readText()
        publicKeyBlob = Data(publicBlob)
        isEncrypted = cipher != "none" || kdf != "none"
        privateSection = section
    }

    /// Whether the key lives on a FIDO security key (`sk-*` types): signing needs the device, through ssh-keygen.
    public var isSecurityKey: Bool { keyType.hasPrefix("sk-") }

    /// The public key; throws `.unsupportedKeyType` for a type this library cannot verify.
    public func publicKey() throws(SSHSigError) -> SSHPublicKey {
        try SSHPublicKey(blob: publicKeyBlob)
    }
}
