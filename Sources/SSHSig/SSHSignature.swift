import Crypto
import Foundation

/// An OpenSSH `SSHSIG` signature, the format of `ssh-keygen -Y sign` and of git's SSH-signed commits.
///
/// `verify` proves only that the embedded `publicKey` signed the message; deciding whether
/// that key is trusted is the caller's job.
public struct SSHSignature: Sendable {
    /// The key that made the signature, as embedded in it.
    public let publicKey: SSHPublicKey
    /// The namespace the signature is bound to; git uses `git`.
    public let namespace: String
    /// The hash applied to the message before signing: `sha512` or `sha256`.
    public let hashAlgorithm: String
    /// The inner SSH signature blob (`string algorithm, string signature`).
    public let signature: Data

    private static let magic = Array("SSHSIG".utf8)
    private static let version: UInt32 = 1
    private static let label = "SSH SIGNATURE"
    /// The hash algorithms SSHSIG defines.
    public static let supportedHashAlgorithms: Set<String> = ["sha256", "sha512"]

    /// Parses an armored signature (`-----BEGIN SSH SIGNATURE-----` ...), tolerating CRLF and surrounding whitespace.
    public init(armored: String) throws(SSHSigError) {
        try self.init(blob: SSHArmor.decode(armored, label: Self.label))
    }

    /// Parses the binary `SSHSIG` blob (magic `SSHSIG`, version 1), rejecting trailing bytes.
    public init(blob: Data) throws(SSHSigError) {
        var reader = SSHWireReader(blob, context: "the SSH signature")
        guard (try? reader.readBytes(Self.magic.count)) == Self.magic else {
            throw .malformed("the SSH signature does not start with SSHSIG")
        }
        let version = try reader.readUInt32()
        guard version == Self.version else {
            throw .malformed("the SSH signature has version \(version) instead of 1")
        }
        let keyBlob = try reader.readString()
        let namespace = try reader.readText()
        _ = try reader.readString()  // reserved; OpenSSH ignores its content
        let hashAlgorithm = try reader.readText()
        let signature = try reader.readString()
        try reader.expectEnd()
        self.publicKey = try SSHPublicKey(blob: Data(keyBlob))
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = Data(signature)
    }

    /// Assembles a signature from its parts, as `sign` does.
    public init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: String, signature: Data) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = signature
    }

    /// The binary `SSHSIG` blob.
    public var blob: Data {
        var writer = SSHWireWriter()
        writer.writeRaw(Self.magic)
        writer.writeUInt32(Self.version)
        writer.writeString([UInt8](publicKey.blob))
        writer.writeString(namespace)
        writer.writeString([UInt8]())
        writer.writeString(hashAlgorithm)
        writer.writeString([UInt8](signature))
        return writer.data
    }

    /// The signature exactly as `ssh-keygen -Y sign` writes it: armor, 70-column base64, a final newline.
    ///
    /// git stores this text in a commit's `gpgsig` header; the header drops the final newline.
    public var armored: String {
        SSHArmor.encode(blob, label: Self.label)
    }

    /// True when the embedded key signed `message` under the `expected` namespace.
    ///
    /// Checks the namespace, the hash algorithm (sha512 or sha256) and that the inner signature
    /// algorithm fits the key type; false on anything else.
    public func verify(_ message: Data, namespace expected: String = "git") -> Bool {
        (try? verifyDetails(message, namespace: expected)) != nil
    }

    /// Verifies like `verify` and returns what the signature says: its type and, for a FIDO key, flags and counter.
    ///
    /// Throws `SSHSigError.invalidSignature` (wrong namespace, unknown hash, no match) or `.malformed` (an inner
    /// signature blob that cannot be read).
    public func verifyDetails(_ message: Data, namespace expected: String = "git") throws(SSHSigError) -> SSHSignatureDetails {
        guard namespace == expected, !namespace.isEmpty else {
            throw .invalidSignature("the signature is for namespace \(namespace), not \(expected)")
        }
        guard Self.supportedHashAlgorithms.contains(hashAlgorithm) else {
            throw .invalidSignature("the signature uses the unknown hash algorithm \(hashAlgorithm)")
        }
        return try publicKey.verifySignature(signature, for: Self.signedData(for: message, namespace: namespace, hashAlgorithm: hashAlgorithm))
    }

    /// Signs `message` the way `ssh-keygen -Y sign -n namespace` does, with any `SSHSigner`.
    ///
    /// The signer's answer is verified before it is returned, so a confused agent cannot
    /// produce a signature that would fail later.
    public static func sign(
        _ message: Data,
        namespace: String = "git",
        hashAlgorithm: String = "sha512",
        with signer: SSHSigner
    ) throws -> SSHSignature {
        guard !namespace.isEmpty else {
            throw SSHSigError.malformed("the signature namespace is empty")
        }
        let result = try signer.signature(for: message, namespace: namespace, hashAlgorithm: hashAlgorithm)
        guard result.publicKey == signer.publicKey, result.hashAlgorithm == hashAlgorithm, result.verify(message, namespace: namespace) else {
            throw SSHSigError.malformed("the signer returned a signature that does not verify with its public key")
        }
        return result
    }

    /// The bytes a signer actually signs: `SSHSIG`, string namespace, string reserved (empty), string hash algorithm,
    /// string H(message).
    ///
    /// This is also the WebAuthn challenge a browser passkey signs (`WebAuthnAssertion`). Throws
    /// `SSHSigError.malformed` for an empty namespace or a hash algorithm other than sha512 and sha256.
    public static func signedData(for message: Data, namespace: String, hashAlgorithm: String) throws(SSHSigError) -> Data {
        guard !namespace.isEmpty else {
            throw .malformed("the signature namespace is empty")
        }
        let digest: [UInt8]
        switch hashAlgorithm {
        case "sha512": digest = Array(SHA512.hash(data: message))
        case "sha256": digest = Array(SHA256.hash(data: message))
        default: throw .malformed("the hash algorithm \(hashAlgorithm) is neither sha512 nor sha256")
        }
        var writer = SSHWireWriter()
        writer.writeRaw(magic)
        writer.writeString(namespace)
        writer.writeString([UInt8]())
        writer.writeString(hashAlgorithm)
        writer.writeString(digest)
        return writer.data
    }

    /// `signedData(for:namespace:hashAlgorithm:)`, nil instead of an error (for the signers and older callers).
    static func signedData(_ message: Data, namespace: String, hashAlgorithm: String) -> Data? {
        try? signedData(for: message, namespace: namespace, hashAlgorithm: hashAlgorithm)
    }
}
