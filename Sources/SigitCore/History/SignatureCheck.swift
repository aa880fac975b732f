import Foundation
import SSHSig

/// The cryptographic result of a commit's `gpgsig`, before any policy is applied.
public enum SignatureCheck: Sendable {
    /// No signature.
    case unsigned
    /// A signature that does not verify, with the reason.
    case invalid(String)
    /// A good SSHSIG signature (namespace `git`) by this key.
    case good(SSHPublicKey)

    /// Verifies an armored SSHSIG over `payload`.
    public static func check(armored: String, payload: Data) -> SignatureCheck {
        checkWithDetails(armored: armored, payload: payload).check
    }

    /// Verifies like `check` and, for a good signature, also returns what it says (type; flags and counter of a FIDO key).
    ///
    /// The details never change the answer: the same signatures are good and invalid as with `check`.
    public static func checkWithDetails(armored: String, payload: Data) -> (check: SignatureCheck, details: SSHSignatureDetails?) {
        guard armored.contains("BEGIN SSH SIGNATURE") else { return (.invalid("not an SSH signature (OpenPGP and X.509 signatures are not accepted)"), nil) }
        let signature: SSHSignature
        do { signature = try SSHSignature(armored: armored) } catch { return (.invalid("the signature cannot be read: \(error)"), nil) }
        guard signature.namespace == "git" else { return (.invalid("the signature is for namespace \(Name.quoted(signature.namespace)), not git"), nil) }
        guard let details = try? signature.verifyDetails(payload, namespace: "git") else { return (.invalid("the signature does not match the commit"), nil) }
        // The canonical armor of what was decoded must be the text itself (one encode, no second decode).
        let canonical = signature.armored
        guard armored == canonical || armored + "\n" == canonical else { return (.invalid(nonCanonicalArmor), nil) }
        return (.good(signature.publicKey), details)
    }

    /// The reason given for a good signature in an armor other than the one ssh-keygen writes (spec section 2:
    /// `signature-encoding`); the ledger names that rule for it.
    public static let nonCanonicalArmor = "the signature is not in the canonical armor ssh-keygen writes (BEGIN line, base64 in lines of 70 characters, END line, no other whitespace), so the commit id is not the one its signer made"

    /// The signing key, when the signature is good.
    public var key: SSHPublicKey? {
        if case .good(let key) = self { return key }
        return nil
    }
}
