import Foundation

/// What the signing page shows a link holder: the invitation, the agreement as it stands and what they may do now.
/// Every string in it comes from the repository and is untrusted.
public struct InvitationView: Sendable {
    /// The invited identity as the policy in force holds it.
    public let invitee: Identity
    /// The invitation.
    public let invitation: Invitation
    /// The admin who signed the invitation (identity name), when the history shows it.
    public let invitedBy: String?
    /// The agreement's derived state; nil while it is not drafted yet.
    public let agreement: AgreementStatus?
    /// The identity who sent the agreement for signature (the current round's send), if any.
    public let sentBy: String?
    /// The agreement's files at `agreement.digest`, `agreement.yml` included, sorted by path.
    public let documents: [AgreementDocument]
    /// The `documents:` list of agreement.yml (the documents the agreement names, in its order).
    public let namedDocuments: [String]
    /// The step the invitee signs now, when one is open for them.
    public let openStep: String?
    /// Whether a passkey may be enrolled now (unused, not expired, no policy change pending); else why not.
    public let enrollment: Permission
    /// Whether the invitee may approve or decline now (enrolled, in progress, an open slot of the current step); else why not.
    public let decision: Permission
    /// The branch tip the view was read at.
    public let tip: String

    /// Allowed, or refused with a reason a person can read.
    public enum Permission: Sendable, Equatable {
        case allowed
        case refused(String)

        /// Whether it is allowed.
        public var isAllowed: Bool { self == .allowed }
    }

    /// A view.
    public init(invitee: Identity, invitation: Invitation, invitedBy: String?, agreement: AgreementStatus?, sentBy: String?, documents: [AgreementDocument],
                namedDocuments: [String], openStep: String?, enrollment: Permission, decision: Permission, tip: String) {
        self.invitee = invitee
        self.invitation = invitation
        self.invitedBy = invitedBy
        self.agreement = agreement
        self.sentBy = sentBy
        self.documents = documents
        self.namedDocuments = namedDocuments
        self.openStep = openStep
        self.enrollment = enrollment
        self.decision = decision
        self.tip = tip
    }
}
