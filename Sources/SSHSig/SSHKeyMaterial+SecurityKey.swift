import Crypto
import Foundation

/// Verification of FIDO (security key) signatures, as OpenSSH's `ssh-ed25519-sk.c` and `ssh-ecdsa-sk.c` do it
/// (`PROTOCOL.u2f`, "SSH U2F signatures").
///
/// The authenticator signs `SHA256(application) || flags || uint32 counter || SHA256(message)`; the SSH
/// signature blob is `string type, string signature, byte flags, uint32 counter`. WebAuthn signatures
/// (`webauthn-sk-ecdsa-sha2-nistp256@openssh.com`) add `string origin, string clientDataJSON, string extensions`,
/// and the authenticator signed `SHA256(application) || flags || counter || extensions || SHA256(clientDataJSON)`.
extension SSHKeyMaterial {
    /// The WebAuthn flag bit 0x40 (attested credential data), which a signature must not carry.
    private static let attestedDataFlag: UInt8 = 0x40

    /// Verifies an `sk-ssh-ed25519@openssh.com` signature blob.
    static func verifyEd25519SK(_ signature: Data, for data: Data, key: Curve25519.Signing.PublicKey,
                                application: [UInt8]) throws(SSHSigError) -> SSHSignatureDetails {
        var reader = SSHWireReader(signature, context: "the sk-ssh-ed25519 signature")
        let algorithm = try reader.readText()
        let raw = try reader.readString()
        let flags = try reader.readByte()
        let counter = try reader.readUInt32()
        guard algorithm == ed25519SKName else {
            throw .invalidSignature("a \(algorithm) signature does not fit an \(ed25519SKName) key")
        }
        try reader.expectEnd()
        guard raw.count == 64 else {
            throw .malformed("the sk-ssh-ed25519 signature is \(raw.count) bytes instead of 64")
        }
        let signed = authenticatorData(application: application, flags: flags, counter: counter, extensions: [])
            + Array(SHA256.hash(data: data))
        guard key.isValidSignature(raw, for: signed) else {
            throw .invalidSignature("the \(ed25519SKName) signature does not match the signed data, application and key")
        }
        return SSHSignatureDetails(algorithm: algorithm, isHardwareBacked: true, flags: flags, counter: counter, webauthnOrigin: nil)
    }

    /// Verifies an `sk-ecdsa-sha2-nistp256@openssh.com` or `webauthn-sk-ecdsa-sha2-nistp256@openssh.com` signature blob.
    static func verifyP256SK(_ signature: Data, for data: Data, key: P256.Signing.PublicKey,
                             application: [UInt8]) throws(SSHSigError) -> SSHSignatureDetails {
        var reader = SSHWireReader(signature, context: "the sk-ecdsa signature")
        let algorithm = try reader.readText()
        let isWebAuthn: Bool
        switch algorithm {
        case p256SKName: isWebAuthn = false
        case webauthnP256SKName: isWebAuthn = true
        default: throw .invalidSignature("a \(algorithm) signature does not fit an \(p256SKName) key")
        }
        let raw = try reader.readString()
        let flags = try reader.readByte()
        let counter = try reader.readUInt32()
        var origin: [UInt8]? = nil
        var clientData: [UInt8] = []
        var extensions: [UInt8] = []
        if isWebAuthn {
            origin = try reader.readString()
            clientData = try reader.readString()
            extensions = try reader.readString()
        }
        try reader.expectEnd()
        let ecdsa = try p256Signature(raw, context: "the \(algorithm) signature")

        let messageHash: [UInt8]
        if let origin {
            try checkWebAuthnClientData(clientData, challenge: data, origin: origin, flags: flags, extensions: extensions)
            messageHash = Array(SHA256.hash(data: clientData))
        } else {
            messageHash = Array(SHA256.hash(data: data))
        }
        // ECDSA over SHA-256 of the authenticator data and the message hash (EVP_DigestVerify with SHA-256).
        let signed = authenticatorData(application: application, flags: flags, counter: counter, extensions: extensions) + messageHash
        guard key.isValidSignature(ecdsa, for: signed) else {
            throw .invalidSignature("the \(algorithm) signature does not match the signed data, application and key")
        }
        return SSHSignatureDetails(algorithm: algorithm, isHardwareBacked: true, flags: flags, counter: counter,
                                   webauthnOrigin: origin.map { String(decoding: $0, as: UTF8.self) })
    }

    /// Checks a WebAuthn signature's framing as OpenSSH's `webauthn_check_prepare_hash` does.
    ///
    /// The origin must be a C string without `"`; the AD flag (0x40) must be clear; the ED flag (0x80) must be set
    /// exactly when there are extensions; and the clientDataJSON must begin with
    /// `{"type":"webauthn.get","challenge":"<unpadded base64url of the signed data>","origin":"<origin>"`.
    /// Anything after that prefix (crossOrigin, other fields) is not interpreted, as in OpenSSH.
    static func checkWebAuthnClientData(_ clientData: [UInt8], challenge: Data, origin: [UInt8], flags: UInt8,
                                        extensions: [UInt8]) throws(SSHSigError) {
        guard !origin.contains(0) else {
            throw .malformed("the WebAuthn origin contains a NUL byte")
        }
        guard !origin.contains(UInt8(ascii: "\"")) else {
            throw .invalidSignature("the WebAuthn origin contains a double quote")
        }
        guard flags & attestedDataFlag == 0 else {
            throw .invalidSignature("the WebAuthn signature has the attested-data flag (0x40) set")
        }
        guard (flags & SSHSignatureDetails.extensionDataFlag != 0) == !extensions.isEmpty else {
            throw .invalidSignature(extensions.isEmpty
                ? "the WebAuthn signature has the extension flag (0x80) set but no extensions"
                : "the WebAuthn signature has extensions but not the extension flag (0x80)")
        }
        let expected = Array("{\"type\":\"webauthn.get\",\"challenge\":\"".utf8) + base64URL(challenge)
            + Array("\",\"origin\":\"".utf8) + origin + [UInt8(ascii: "\"")]
        guard clientData.count >= expected.count, clientData.prefix(expected.count).elementsEqual(expected) else {
            throw .invalidSignature("the WebAuthn clientDataJSON does not begin with the type webauthn.get, the challenge of the signed data and the origin")
        }
    }

    /// `SHA256(application) || flags || uint32 counter || extensions`: what the authenticator signs before the message hash.
    static func authenticatorData(application: [UInt8], flags: UInt8, counter: UInt32, extensions: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeRaw(Array(SHA256.hash(data: application)))
        writer.writeByte(flags)
        writer.writeUInt32(counter)
        writer.writeRaw(extensions)
        return writer.bytes
    }

    /// Base64url without padding (RFC 4648 section 5), as OpenSSH's `sshbuf_dtourlb64` writes the challenge.
    static func base64URL(_ data: Data) -> [UInt8] {
        let standard = data.base64EncodedString()
        return standard.utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): return UInt8(ascii: "-")
            case UInt8(ascii: "/"): return UInt8(ascii: "_")
            case UInt8(ascii: "="): return nil
            default: return byte
            }
        }
    }

    /// Parses the inner ECDSA signature `mpint r, mpint s` as OpenSSH does (not negative, leading zeros allowed, no
    /// trailing bytes).
    static func p256Signature(_ raw: [UInt8], context: String) throws(SSHSigError) -> P256.Signing.ECDSASignature {
        var inner = SSHWireReader(raw, context: context)
        let r = try inner.readSignatureMPInt()
        let s = try inner.readSignatureMPInt()
        try inner.expectEnd()
        guard r.count <= 32, s.count <= 32,
              let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: leftPadded(r, to: 32) + leftPadded(s, to: 32)) else {
            throw .invalidSignature("\(context) has r or s out of range")
        }
        return ecdsa
    }
}
