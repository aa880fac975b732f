import Foundation

/// An admin's invitation of a counterparty who signs in a browser with a passkey (spec section 9), as the policy
/// holds it under the invited identity (`invitation:`).
///
/// The secret itself is never in the repository: only its SHA-256. The enrollment event reveals the secret, adds
/// exactly the passkey that signed it to the identity and records when (`enrolled`), which makes the invitation
/// used: it enrolls once.
public struct Invitation: Sendable, Equatable, Codable {
    /// The agreement the invitation is for; the invitee's events count only for it.
    public var agreement: String
    /// The step the invitee signs, when the invitation names one; then the invitee's approve and decline count only there.
    public var step: String?
    /// Enrollment after this time does not count.
    public var expires: Date
    /// Lowercase hex SHA-256 of the secret's UTF-8 bytes.
    public var secretSHA256: String
    /// The committer time of the enrollment; nil while the invitation is unused.
    public var enrolled: Date?

    /// An invitation.
    public init(agreement: String, step: String? = nil, expires: Date, secretSHA256: String, enrolled: Date? = nil) {
        self.agreement = agreement
        self.step = step
        self.expires = expires
        self.secretSHA256 = secretSHA256
        self.enrolled = enrolled
    }
}
