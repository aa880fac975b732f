import Crypto
import Foundation
import SSHSig

/// The two places where the browser's passkey meets SSHSig: its public key as an OpenSSH key, and its assertion
/// as the armored SSHSIG the commit carries.
///
/// TEMPORARY: until SSHSig's `SSHPublicKey.passkey(spki:relyingParty:)` and
/// `WebAuthnAssertion(authenticatorData:clientDataJSON:signature:).sshSignature(for:)` land on main, both are built
/// here from OpenSSH's PROTOCOL.u2f; after the merge each body is one call to SSHSig.
enum Passkey {
    /// The `sk-ecdsa-sha2-nistp256@openssh.com` key of a passkey whose SubjectPublicKeyInfo DER is `spki`, bound to
    /// the relying party `relyingParty` (its `application`).
    static func key(spki: Data, relyingParty: String) throws -> SSHPublicKey {
        let point: P256.Signing.PublicKey
        do {
            point = try P256.Signing.PublicKey(derRepresentation: spki)
        } catch {
            throw ServeError(status: .badRequest, message: "the passkey's public key is not a P-256 key (choose a passkey provider that supports ES256)")
        }
        var blob = Data()
        appendString(&blob, Data("sk-ecdsa-sha2-nistp256@openssh.com".utf8))
        appendString(&blob, Data("nistp256".utf8))
        appendString(&blob, point.x963Representation)
        appendString(&blob, Data(relyingParty.utf8))
        return try SSHPublicKey(blob: blob)
    }

    /// The armored SSHSIG (namespace git, sha512) of a WebAuthn assertion by `key`: the browser's
    /// `authenticatorData`, `clientDataJSON` and DER `signature`, framed as `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`.
    static func armoredSignature(authenticatorData: Data, clientDataJSON: Data, signature: Data, key: SSHPublicKey) throws -> String {
        let authData = [UInt8](authenticatorData)
        guard authData.count >= 37 else { throw ServeError(status: .badRequest, message: "the authenticator data is too short") }
        let flags = authData[32]
        let counter = authData[33..<37].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let extensions = Data(authData[37...])
        guard let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature) else {
            throw ServeError(status: .badRequest, message: "the passkey's signature is not a DER ECDSA signature")
        }
        guard let client = try? JSONSerialization.jsonObject(with: clientDataJSON) as? [String: Any], let origin = client["origin"] as? String else {
            throw ServeError(status: .badRequest, message: "the clientDataJSON names no origin")
        }
        let raw = [UInt8](ecdsa.rawRepresentation)
        var inner = Data()
        appendString(&inner, mpint(raw[0..<32]))
        appendString(&inner, mpint(raw[32..<64]))
        var blob = Data()
        appendString(&blob, Data("webauthn-sk-ecdsa-sha2-nistp256@openssh.com".utf8))
        appendString(&blob, inner)
        blob.append(flags)
        blob.append(contentsOf: [UInt8(counter >> 24 & 0xff), UInt8(counter >> 16 & 0xff), UInt8(counter >> 8 & 0xff), UInt8(counter & 0xff)])
        appendString(&blob, Data(origin.utf8))
        appendString(&blob, clientDataJSON)
        appendString(&blob, extensions)
        return SSHSignature(publicKey: key, namespace: "git", hashAlgorithm: "sha512", signature: blob).armored
    }

    private static func appendString(_ data: inout Data, _ bytes: Data) {
        let count = UInt32(bytes.count)
        data.append(contentsOf: [UInt8(count >> 24 & 0xff), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)])
        data.append(bytes)
    }

    private static func mpint(_ bytes: ArraySlice<UInt8>) -> Data {
        var trimmed = Array(bytes.drop(while: { $0 == 0 }))
        if let first = trimmed.first, first & 0x80 != 0 { trimmed.insert(0, at: 0) }
        return Data(trimmed)
    }
}
