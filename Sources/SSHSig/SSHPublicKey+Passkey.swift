import Crypto
import Foundation

extension SSHPublicKey {
    /// The `sk-ecdsa-sha2-nistp256@openssh.com` key of a WebAuthn passkey: its P-256 point from the
    /// SubjectPublicKeyInfo DER that `AuthenticatorAttestationResponse.getPublicKey()` returns, bound to
    /// `relyingParty` (the RP id, e.g. `example.org`) as its FIDO application, as OpenSSH names such a key.
    ///
    /// Throws `SSHSigError.unsupportedKeyType` for a key that is not P-256 (Ed25519, RSA, another curve) and
    /// `.malformed` for DER that is not a public key or an RP id that is empty or contains a NUL byte.
    public static func passkey(spki: Data, relyingParty: String) throws(SSHSigError) -> SSHPublicKey {
        guard !relyingParty.isEmpty, !relyingParty.utf8.contains(0) else {
            throw .malformed("the relying party id is empty or contains a NUL byte")
        }
        let key: P256.Signing.PublicKey
        do {
            key = try P256.Signing.PublicKey(derRepresentation: spki)
        } catch {
            throw .unsupportedKeyType("a passkey that is not ECDSA P-256 (COSE algorithm -7)")
        }
        var writer = SSHWireWriter()
        writer.writeString(SSHKeyMaterial.p256SKName)
        writer.writeString("nistp256")
        writer.writeString([UInt8](key.x963Representation))
        writer.writeString(relyingParty)
        return try SSHPublicKey(blob: writer.data)
    }
}
