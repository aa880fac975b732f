import Foundation

/// An admin's invitation of a counterparty who signs in a browser with a passkey (spec section 9), as the policy
/// holds it under the invited identity (`invitation:`).
///
/// The secret itself is never in the repository, before or after it is used: the policy holds its SHA-256 (to find
/// the invitation of a link) and the public half of an Ed25519 key derived from it (`proofKey`). The enrollment
/// event proves it knows the secret with a signature by that key over its parent commit, the invitee and the passkey
/// (`InvitationSecret.proof`), adds exactly that passkey to the identity and records when (`enrolled`), which makes
/// the invitation used. The proof fits one parent and one passkey only: a fork cannot reuse it for another key.
public struct Invitation: Sendable, Equatable, Codable {
    /// The agreement the invitation is for; the invitee's events count only for it.
    public var agreement: String
    /// The step the invitee signs, when the invitation names one; then the invitee's approve and decline count only there.
    public var step: String?
    /// Enrollment after this time does not count.
    public var expires: Date
    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes.
    public var secretSHA256: String
    /// The raw 32-byte Ed25519 public key derived from the secret (`InvitationSecret.proofKey`).
    public var proofKey: Data
    /// The committer time of the enrollment; nil while the invitation is unused.
    public var enrolled: Date?

    /// An invitation.
    public init(agreement: String, step: String? = nil, expires: Date, secretSHA256: String, proofKey: Data, enrolled: Date? = nil) {
        self.agreement = agreement
        self.step = step
        self.expires = expires
        self.secretSHA256 = secretSHA256
        self.proofKey = proofKey
        self.enrolled = enrolled
    }
}
