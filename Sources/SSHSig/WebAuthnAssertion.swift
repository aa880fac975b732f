import Crypto
import Foundation

/// What a browser's `navigator.credentials.get` returns for a passkey, to be turned into the
/// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com` SSHSIG signature that `ssh-keygen -Y verify` and
/// `git verify-commit` accept.
///
/// The browser signed, as its WebAuthn challenge, `SSHSignature.signedData(for:namespace:hashAlgorithm:)` of the
/// message; the authenticator signed `authenticatorData || SHA256(clientDataJSON)` (OpenSSH's `ssh-ecdsa-sk.c`,
/// `PROTOCOL.u2f`, and its reference page `regress/unittests/sshsig/webauthn.html`).
public struct WebAuthnAssertion: Sendable {
    /// `response.authenticatorData`: SHA256(RP id) (32 bytes), flags (1), big-endian counter (4), then extensions.
    public let authenticatorData: Data
    /// `response.clientDataJSON`, exactly as the browser serialized it.
    public let clientDataJSON: Data
    /// `response.signature`: the DER (X9.62) ECDSA signature, `SEQUENCE { INTEGER r, INTEGER s }`.
    public let signature: Data

    /// The WebAuthn flag 0x40 (attested credential data), which only a registration carries.
    private static let attestedDataFlag: UInt8 = 0x40
    /// The length of the fixed part of the authenticator data: RP id hash, flags, counter.
    private static let fixedLength = 37

    /// An assertion from the three byte fields of the browser's `AuthenticatorAssertionResponse`.
    public init(authenticatorData: Data, clientDataJSON: Data, signature: Data) {
        self.authenticatorData = authenticatorData
        self.clientDataJSON = clientDataJSON
        self.signature = signature
    }

    /// The SSHSIG signature by `key` (an `sk-ecdsa-sha2-nistp256@openssh.com` passkey whose application is the RP
    /// id) that this assertion makes, as OpenSSH's `webauthn.html` assembles it.
    ///
    /// The inner blob is `string "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", string (mpint r, mpint s), byte flags,
    /// uint32 counter, string origin, string clientDataJSON, string extensions`. The assertion is checked before it is
    /// returned: the RP id hash, the flags, the clientDataJSON prefix OpenSSH requires, a challenge that is SSHSIG
    /// signed data for `namespace` and `hashAlgorithm`, and the signature over that challenge. The message itself is
    /// not known here: the caller still verifies the result against it (`SSHSignature.verifyDetails`).
    ///
    /// Throws `SSHSigError.malformed` for input that cannot be read and `.invalidSignature` for input that does not fit
    /// the key or does not verify.
    public func sshSignature(for key: SSHPublicKey, namespace: String = "git",
                             hashAlgorithm: String = "sha512") throws(SSHSigError) -> SSHSignature {
        guard !namespace.isEmpty, SSHSignature.supportedHashAlgorithms.contains(hashAlgorithm) else {
            throw .malformed("an SSH signature needs a namespace and the hash sha512 or sha256, not \(hashAlgorithm)")
        }
        guard case .p256SK(_, let application) = key.material else {
            throw .invalidSignature("a WebAuthn assertion needs an \(SSHKeyMaterial.p256SKName) key, not \(key.algorithm)")
        }
        let data = [UInt8](authenticatorData)
        guard data.count >= Self.fixedLength else {
            throw .malformed("the WebAuthn authenticator data is \(data.count) bytes, shorter than 37")
        }
        guard data[0..<32].elementsEqual(SHA256.hash(data: application)) else {
            throw .invalidSignature("the WebAuthn authenticator data is for another relying party than \(String(decoding: application, as: UTF8.self))")
        }
        let flags = data[32]
        let counter = data[33..<37].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let extensions = Array(data[Self.fixedLength...])
        guard flags & Self.attestedDataFlag == 0 else {
            throw .invalidSignature("the WebAuthn authenticator data carries attested credential data (flag 0x40)")
        }
        if flags & SSHSignatureDetails.extensionDataFlag == 0 {
            guard extensions.isEmpty else {
                throw .malformed("the WebAuthn authenticator data has \(extensions.count) bytes after the counter but no extension flag (0x80)")
            }
        } else {
            guard !extensions.isEmpty else {
                throw .malformed("the WebAuthn authenticator data has the extension flag (0x80) but no extensions")
            }
        }
        let client = try parsedClientData()
        let ecdsa: P256.Signing.ECDSASignature
        do {
            ecdsa = try P256.Signing.ECDSASignature(derRepresentation: signature)
        } catch {
            throw .malformed("the WebAuthn signature is not a DER ECDSA signature")
        }
        let raw = [UInt8](ecdsa.rawRepresentation)
        guard raw.count == 64 else {
            throw .malformed("the WebAuthn signature has r or s longer than 32 bytes")
        }
        var inner = SSHWireWriter()
        inner.writePositiveMPInt(raw[0..<32])
        inner.writePositiveMPInt(raw[32..<64])
        var writer = SSHWireWriter()
        writer.writeString(SSHKeyMaterial.webauthnP256SKName)
        writer.writeString(inner.bytes)
        writer.writeByte(flags)
        writer.writeUInt32(counter)
        writer.writeString(client.origin)
        writer.writeString([UInt8](clientDataJSON))
        writer.writeString(extensions)

        try Self.checkChallenge(client.challenge, namespace: namespace, hashAlgorithm: hashAlgorithm)
        _ = try key.verifySignature(writer.data, for: client.challenge)
        return SSHSignature(publicKey: key, namespace: namespace, hashAlgorithm: hashAlgorithm, signature: writer.data)
    }

    /// The origin and the decoded challenge of a `webauthn.get` clientDataJSON (a JSON object; OpenSSH's exact prefix
    /// form is checked afterwards by the verification).
    private func parsedClientData() throws(SSHSigError) -> (origin: String, challenge: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: clientDataJSON) as? [String: Any] else {
            throw .malformed("the WebAuthn clientDataJSON is not a JSON object")
        }
        guard object["type"] as? String == "webauthn.get" else {
            throw .invalidSignature("the WebAuthn clientDataJSON is not of type webauthn.get")
        }
        guard let origin = object["origin"] as? String, !origin.isEmpty else {
            throw .malformed("the WebAuthn clientDataJSON has no origin")
        }
        guard let encoded = object["challenge"] as? String, let challenge = Self.decodeBase64URL(encoded) else {
            throw .malformed("the WebAuthn clientDataJSON has no base64url challenge")
        }
        return (origin, challenge)
    }

    /// Checks that the challenge is SSHSIG signed data (`SSHSIG`, namespace, reserved, hash algorithm, digest) for
    /// `namespace` and `hashAlgorithm`, so the assertion cannot be filed under another namespace than it signed.
    private static func checkChallenge(_ challenge: Data, namespace: String, hashAlgorithm: String) throws(SSHSigError) {
        var reader = SSHWireReader(challenge, context: "the WebAuthn challenge")
        guard (try? reader.readBytes(6)) == Array("SSHSIG".utf8),
              let signedNamespace = try? reader.readString(), (try? reader.readString()) != nil,
              let signedHash = try? reader.readString(), let digest = try? reader.readString(),
              (try? reader.expectEnd()) != nil else {
            throw .invalidSignature("the WebAuthn challenge is not SSHSIG signed data")
        }
        guard signedNamespace.elementsEqual(namespace.utf8), signedHash.elementsEqual(hashAlgorithm.utf8) else {
            // The signed values are not echoed: they come from the browser and may hold any bytes.
            throw .invalidSignature("the WebAuthn challenge is for another namespace or hash algorithm than \(namespace) and \(hashAlgorithm)")
        }
        guard digest.count == (hashAlgorithm == "sha256" ? 32 : 64) else {
            throw .invalidSignature("the WebAuthn challenge has a \(digest.count)-byte digest")
        }
    }

    /// Decodes unpadded base64url (RFC 4648 section 5); nil for anything else.
    private static func decodeBase64URL(_ text: String) -> Data? {
        guard !text.contains("="), !text.contains("+"), !text.contains("/") else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
