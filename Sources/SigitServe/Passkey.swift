import Foundation
import SSHSig

/// The two places where the browser's passkey meets SSHSig: its public key as an OpenSSH key, and its assertion
/// as the armored SSHSIG the commit carries. Refusals become 400 answers with SSHSig's sentence.
enum Passkey {
    /// The `sk-ecdsa-sha2-nistp256@openssh.com` key of a passkey whose SubjectPublicKeyInfo DER is `spki`, bound to
    /// the relying party `relyingParty` (its `application`).
    static func key(spki: Data, relyingParty: String) throws -> SSHPublicKey {
        do {
            return try SSHPublicKey.passkey(spki: spki, relyingParty: relyingParty)
        } catch {
            throw ServeError(status: .badRequest, message: "the passkey's public key cannot be used: \(error.description)")
        }
    }

    /// The armored SSHSIG (namespace git, sha512) of a WebAuthn assertion by `key`: the browser's
    /// `authenticatorData`, `clientDataJSON` and DER `signature`, framed as `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`.
    static func armoredSignature(authenticatorData: Data, clientDataJSON: Data, signature: Data, key: SSHPublicKey) throws -> String {
        do {
            return try WebAuthnAssertion(authenticatorData: authenticatorData, clientDataJSON: clientDataJSON, signature: signature)
                .sshSignature(for: key).armored
        } catch {
            throw ServeError(status: .badRequest, message: "the passkey's signature cannot be used: \(error.description)")
        }
    }
}
