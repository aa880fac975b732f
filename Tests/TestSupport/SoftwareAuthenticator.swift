import Crypto
import Foundation

/// A FIDO authenticator in software: makes `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com`
/// SSHSIG signatures exactly as an authenticator and `ssh-keygen -Y sign` would, with any flags and counter.
///
/// Written from OpenSSH's `PROTOCOL.u2f` and `PROTOCOL.sshsig` with its own wire encoding (it does not use SSHSig,
/// the code under test). The authenticator signs `SHA256(application) || flags || uint32 counter || extensions ||
/// SHA256(message)`; the SSH signature blob is `string type, string signature, byte flags, uint32 counter` and,
/// for WebAuthn, `string origin, string clientDataJSON, string extensions`.
public struct SoftwareAuthenticator: Sendable {
    /// The kind of key the authenticator holds.
    public enum Kind: String, Sendable, CaseIterable {
        /// `sk-ssh-ed25519@openssh.com`.
        case ed25519 = "sk-ssh-ed25519@openssh.com"
        /// `sk-ecdsa-sha2-nistp256@openssh.com`.
        case p256 = "sk-ecdsa-sha2-nistp256@openssh.com"
    }

    /// A WebAuthn assertion's extra fields (`webauthn-sk-ecdsa-sha2-nistp256@openssh.com`, P-256 keys only).
    public struct WebAuthn: Sendable {
        /// The origin, e.g. `https://example.org`.
        public var origin: String
        /// The authenticator extensions (CBOR); non-empty needs flag 0x80.
        public var extensions: [UInt8]
        /// The clientDataJSON given the base64url challenge; nil builds the one a browser writes.
        public var clientData: (@Sendable (_ challenge: String) -> String)?

        /// An assertion from `origin`, with `extensions` and (unless given) a browser's clientDataJSON.
        public init(origin: String, extensions: [UInt8] = [], clientData: (@Sendable (_ challenge: String) -> String)? = nil) {
            self.origin = origin
            self.extensions = extensions
            self.clientData = clientData
        }
    }

    /// Flag 0x01: user present (a touch).
    public static let userPresent: UInt8 = 0x01
    /// Flag 0x04: user verified (PIN or biometric).
    public static let userVerified: UInt8 = 0x04
    /// Flag 0x80: extension data follows.
    public static let extensionData: UInt8 = 0x80

    private enum Secret: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
    }

    /// The key type.
    public let kind: Kind
    /// The FIDO application the key is bound to (`ssh:` unless chosen).
    public let application: String
    private let secret: Secret

    /// A new authenticator key of `kind`; `seed` (32 bytes) makes it reproducible.
    public init(kind: Kind, application: String = "ssh:", seed: Data? = nil) throws {
        self.kind = kind
        self.application = application
        switch kind {
        case .ed25519:
            secret = .ed25519(try seed.map { try Curve25519.Signing.PrivateKey(rawRepresentation: $0) } ?? Curve25519.Signing.PrivateKey())
        case .p256:
            secret = .p256(try seed.map { try P256.Signing.PrivateKey(rawRepresentation: $0) } ?? P256.Signing.PrivateKey())
        }
    }

    /// The public key's wire blob: type, key (Ed25519 bytes, or curve name and point), application.
    public var publicKeyBlob: Data {
        var writer = Wire()
        writer.string(kind.rawValue)
        switch secret {
        case .ed25519(let key):
            writer.string([UInt8](key.publicKey.rawRepresentation))
        case .p256(let key):
            writer.string("nistp256")
            writer.string([UInt8](key.publicKey.x963Representation))
        }
        writer.string(application)
        return Data(writer.bytes)
    }

    /// The public key as an `authorized_keys` / `allowed_signers` key: `<type> <base64>`.
    public var publicKeyLine: String {
        "\(kind.rawValue) \(publicKeyBlob.base64EncodedString())"
    }

    /// The bytes SSHSIG signs for `message`: `SSHSIG`, namespace, reserved, hash algorithm, H(message).
    public static func sshsigSignedData(_ message: Data, namespace: String = "git", hashAlgorithm: String = "sha512") -> Data {
        var writer = Wire()
        writer.raw(Array("SSHSIG".utf8))
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(hashAlgorithm == "sha256" ? Array(SHA256.hash(data: message)) : Array(SHA512.hash(data: message)))
        return Data(writer.bytes)
    }

    /// Unpadded base64url (RFC 4648 section 5): the WebAuthn challenge encoding.
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The inner SSH signature blob over `signedData` with `flags` and `counter` (WebAuthn framing when given).
    public func signatureBlob(signedData: Data, flags: UInt8, counter: UInt32, webauthn: WebAuthn? = nil) throws -> Data {
        let clientData: [UInt8]? = webauthn.map { assertion in
            let challenge = Self.base64URL(signedData)
            let json = assertion.clientData?(challenge)
                ?? "{\"type\":\"webauthn.get\",\"challenge\":\"\(challenge)\",\"origin\":\"\(assertion.origin)\",\"crossOrigin\":false}"
            return Array(json.utf8)
        }
        var authenticatorData = Wire()
        authenticatorData.raw(Array(SHA256.hash(data: Data(application.utf8))))
        authenticatorData.byte(flags)
        authenticatorData.uint32(counter)
        authenticatorData.raw(webauthn?.extensions ?? [])
        authenticatorData.raw(Array(SHA256.hash(data: clientData.map { Data($0) } ?? signedData)))
        let signed = Data(authenticatorData.bytes)

        var writer = Wire()
        switch secret {
        case .ed25519(let key):
            writer.string(kind.rawValue)
            writer.string([UInt8](try key.signature(for: signed)))
        case .p256(let key):
            // ECDSA with SHA-256 over the whole authenticator message.
            let raw = [UInt8](try key.signature(for: signed).rawRepresentation)
            var inner = Wire()
            inner.mpint(raw[0..<32])
            inner.mpint(raw[32..<64])
            writer.string(webauthn == nil ? kind.rawValue : "webauthn-sk-ecdsa-sha2-nistp256@openssh.com")
            writer.string(inner.bytes)
        }
        writer.byte(flags)
        writer.uint32(counter)
        if let webauthn, let clientData {
            writer.string(webauthn.origin)
            writer.string(clientData)
            writer.string(webauthn.extensions)
        }
        return Data(writer.bytes)
    }

    /// The binary SSHSIG blob of `message`, as `ssh-keygen -Y sign -n namespace` writes it with this authenticator.
    public func sshsig(_ message: Data, namespace: String = "git", hashAlgorithm: String = "sha512", flags: UInt8 = userPresent,
                       counter: UInt32 = 1, webauthn: WebAuthn? = nil) throws -> Data {
        let inner = try signatureBlob(signedData: Self.sshsigSignedData(message, namespace: namespace, hashAlgorithm: hashAlgorithm),
                                      flags: flags, counter: counter, webauthn: webauthn)
        return Self.sshsig(publicKeyBlob: publicKeyBlob, namespace: namespace, hashAlgorithm: hashAlgorithm, signature: inner)
    }

    /// Like `sshsig`, armored as `ssh-keygen -Y sign` writes it (70-column base64, final newline).
    public func armored(_ message: Data, namespace: String = "git", hashAlgorithm: String = "sha512", flags: UInt8 = userPresent,
                        counter: UInt32 = 1, webauthn: WebAuthn? = nil) throws -> String {
        Self.armor(try sshsig(message, namespace: namespace, hashAlgorithm: hashAlgorithm, flags: flags, counter: counter, webauthn: webauthn))
    }

    /// An SSHSIG blob from its parts: magic, version 1, public key, namespace, reserved, hash algorithm, signature.
    public static func sshsig(publicKeyBlob: Data, namespace: String, hashAlgorithm: String, signature: Data) -> Data {
        var writer = Wire()
        writer.raw(Array("SSHSIG".utf8))
        writer.uint32(1)
        writer.string([UInt8](publicKeyBlob))
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string([UInt8](signature))
        return Data(writer.bytes)
    }

    /// `-----BEGIN SSH SIGNATURE-----`, base64 in lines of 70, `-----END SSH SIGNATURE-----`, a final newline.
    public static func armor(_ blob: Data) -> String {
        let base64 = Array(blob.base64EncodedString())
        let lines = stride(from: 0, to: base64.count, by: 70).map { String(base64[$0..<min($0 + 70, base64.count)]) }
        return (["-----BEGIN SSH SIGNATURE-----"] + lines + ["-----END SSH SIGNATURE-----"]).joined(separator: "\n") + "\n"
    }

    /// The SSH wire encoding (RFC 4251 section 5), for building what the authenticator returns.
    private struct Wire {
        var bytes: [UInt8] = []
        mutating func raw(_ data: [UInt8]) { bytes += data }
        mutating func byte(_ value: UInt8) { bytes.append(value) }
        mutating func uint32(_ value: UInt32) { bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
        mutating func string(_ data: [UInt8]) { uint32(UInt32(data.count)); bytes += data }
        mutating func string(_ text: String) { string(Array(text.utf8)) }
        mutating func mpint(_ magnitude: ArraySlice<UInt8>) {
            var trimmed = Array(magnitude.drop(while: { $0 == 0 }))
            if let first = trimmed.first, first & 0x80 != 0 { trimmed.insert(0, at: 0) }
            string(trimmed)
        }
    }
}
