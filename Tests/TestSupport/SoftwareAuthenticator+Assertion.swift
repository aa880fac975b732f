import Crypto
import Foundation

/// What a browser hands a page for a passkey held by a `SoftwareAuthenticator` of kind `.p256` whose application is
/// the relying-party id: the key's SubjectPublicKeyInfo (`getPublicKey()`), and a `navigator.credentials.get`
/// assertion (authenticatorData, clientDataJSON, DER signature).
///
/// Built from the authenticator's own WebAuthn signature blob, taken apart: the ECDSA signature there is over
/// `SHA256(rpId) || flags || counter || SHA256(clientDataJSON)`, exactly what a browser's authenticator signs.
extension SoftwareAuthenticator {
    /// The public key as SubjectPublicKeyInfo DER, as `AuthenticatorAttestationResponse.getPublicKey()` gives it.
    public var spki: Data {
        get throws {
            var reader = WireReader(bytes: [UInt8](publicKeyBlob))
            guard try reader.text() == Kind.p256.rawValue, try reader.text() == "nistp256" else {
                throw SpawnError(description: "only a P-256 authenticator has an SPKI for WebAuthn")
            }
            return try P256.Signing.PublicKey(x963Representation: reader.string()).derRepresentation
        }
    }

    /// The assertion a browser returns for `challenge` (the raw challenge bytes) on `origin`, with `flags` and `counter`.
    public func assertion(challenge: Data, origin: String, flags: UInt8 = userPresent | userVerified, counter: UInt32 = 1)
        throws -> (authenticatorData: Data, clientDataJSON: Data, derSignature: Data) {
        let blob = try signatureBlob(signedData: challenge, flags: flags, counter: counter, webauthn: WebAuthn(origin: origin))
        var reader = WireReader(bytes: [UInt8](blob))
        _ = try reader.text()
        var inner = WireReader(bytes: try reader.string())
        let r = try inner.string().drop(while: { $0 == 0 })
        let s = try inner.string().drop(while: { $0 == 0 })
        let raw = [UInt8](repeating: 0, count: 32 - r.count) + r + [UInt8](repeating: 0, count: 32 - s.count) + s
        let der = try P256.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation
        let signedFlags = try reader.byte()
        let signedCounter = try reader.uint32()
        _ = try reader.string()
        let clientData = try reader.string()
        var authenticatorData = Data(SHA256.hash(data: Data(application.utf8)))
        authenticatorData.append(signedFlags)
        authenticatorData.append(contentsOf: (0..<4).map { UInt8(truncatingIfNeeded: signedCounter >> (24 - 8 * $0)) })
        return (authenticatorData, Data(clientData), der)
    }

    /// Reads the SSH wire encoding back.
    private struct WireReader {
        let bytes: [UInt8]
        var offset = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw SpawnError(description: "truncated signature blob") }
            offset += 1
            return bytes[offset - 1]
        }

        mutating func uint32() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 { value = value << 8 | UInt32(try byte()) }
            return value
        }

        mutating func string() throws -> [UInt8] {
            let count = Int(try uint32())
            guard offset + count <= bytes.count else { throw SpawnError(description: "truncated signature blob") }
            offset += count
            return Array(bytes[(offset - count)..<offset])
        }

        mutating func text() throws -> String { String(decoding: try string(), as: UTF8.self) }
    }
}
