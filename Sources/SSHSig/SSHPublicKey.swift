import Crypto
import Foundation

/// An OpenSSH public key (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, or the FIDO types
/// `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com`) that can verify signatures.
///
/// Two keys are equal when their algorithm and blob are equal; the comment is not compared,
/// so a key from a signature equals the same key listed with a comment in a policy.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The key type as OpenSSH names it, e.g. `ssh-ed25519`.
    public let algorithm: String
    /// The wire encoding of the key: what the base64 field of an `authorized_keys` line decodes to.
    public let blob: Data
    /// The free-text comment after the key, if there was one.
    public let comment: String?
    /// The parsed key used to verify signatures.
    let material: SSHKeyMaterial

    /// Parses a line like `ssh-ed25519 AAAA... alice@laptop` (the comment is optional).
    public init(openSSH line: String) throws(SSHSigError) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = trimmed.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else {
            throw .malformed("an OpenSSH public key line needs a key type and a base64 key")
        }
        let base64 = String(fields[1])
        guard let blob = SSHArmor.decodeBase64(base64) else {
            throw .malformed("the public key is not valid base64")
        }
        let comment = fields.count > 2 ? fields[2].trimmingCharacters(in: .whitespaces) : ""
        // One line, as in authorized_keys: a comment must not smuggle in a newline, a NUL or an escape.
        guard !comment.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
            throw .malformed("the public key comment contains a control character")
        }
        try self.init(blob: blob, comment: comment.isEmpty ? nil : comment)
        guard algorithm == String(fields[0]) else {
            throw .malformed("the public key line says \(fields[0]) but the key is \(algorithm)")
        }
    }

    /// Parses a public key from its wire encoding.
    public init(blob: Data) throws(SSHSigError) {
        try self.init(blob: blob, comment: nil)
    }

    /// Parses a public key from its wire encoding and attaches `comment`.
    public init(blob: Data, comment: String?) throws(SSHSigError) {
        let parsed = try SSHKeyMaterial.parse(blob: blob)
        self.algorithm = parsed.algorithm
        self.blob = Data(blob)
        self.comment = comment
        self.material = parsed.material
    }

    /// Assembles a key from parts already known to agree (used for keys we derive ourselves).
    init(algorithm: String, blob: Data, comment: String?, material: SSHKeyMaterial) {
        self.algorithm = algorithm
        self.blob = blob
        self.comment = comment
        self.material = material
    }

    /// The key as `<algorithm> <base64>`, without the comment, as in `authorized_keys` or a policy.
    public var openSSH: String {
        "\(algorithm) \(blob.base64EncodedString())"
    }

    /// `SHA256:` and the unpadded base64 of the SHA-256 of the blob, exactly as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The key line with its comment, if any.
    public var description: String {
        guard let comment else { return openSSH }
        return "\(openSSH) \(comment)"
    }

    /// The FIDO application string of an `sk-*` key (e.g. `ssh:`); nil for a key kept in software.
    public var application: String? {
        material.application.map { String(decoding: $0, as: UTF8.self) }
    }

    /// True for a key that lives on a FIDO authenticator (`sk-ssh-ed25519@openssh.com`, `sk-ecdsa-sha2-nistp256@openssh.com`).
    public var isHardwareBacked: Bool { material.application != nil }

    /// Checks an SSH signature blob (`string algorithm, string signature`) over `data`; false on anything malformed.
    ///
    /// Accepts `ssh-ed25519`, `ecdsa-sha2-nistp256` (SHA-256) and `rsa-sha2-256`/`rsa-sha2-512`
    /// signatures, and the FIDO signatures of `sk-*` keys (`verifySignature` describes them), each only
    /// from a key of the matching type.
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        material.isValidSignature(signature, for: data)
    }

    /// Verifies an SSH signature blob over `data` as OpenSSH does and returns its type, flags and counter.
    ///
    /// Throws `SSHSigError.malformed` for a blob that cannot be read and `.invalidSignature` for one that does
    /// not verify (wrong key type, application, data, WebAuthn framing).
    public func verifySignature(_ signature: Data, for data: Data) throws(SSHSigError) -> SSHSignatureDetails {
        try material.verify(signature, for: data)
    }

    /// Compares algorithm and blob; the comment is not part of a key's identity.
    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool {
        lhs.algorithm == rhs.algorithm && lhs.blob == rhs.blob
    }

    /// Hashes algorithm and blob, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        hasher.combine(blob)
    }
}

extension SSHPublicKey: Codable {
    private enum CodingKeys: String, CodingKey { case blob, comment }

    /// Encodes the wire blob and the comment; decoding parses the blob again (a stored key is never trusted unparsed).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(blob, forKey: .blob)
        try container.encodeIfPresent(comment, forKey: .comment)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let blob = try container.decode(Data.self, forKey: .blob)
        let comment = try container.decodeIfPresent(String.self, forKey: .comment)
        do {
            try self.init(blob: blob, comment: comment)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .blob, in: container, debugDescription: "not a public key: \(error)")
        }
    }
}
