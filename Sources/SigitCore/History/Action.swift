/// The workflow actions an event commit can carry in `Sigit-Action` (spec section 2).
public enum Action: String, Sendable, CaseIterable, Codable {
    case initialize = "init"
    case policy
    case policyApprove = "policy-approve"
    case draft, send, approve, decline, delegate, void, notify, comment
    /// An admin's invitation of a counterparty (spec section 9): a policy change that adds the invited identity.
    case invite
    /// The invitee's enrollment of a passkey, signed by that passkey and ratified by the invitation (spec section 9).
    case enroll
    /// Adds RFC 3161 time-stamp tokens under `.sigit/timestamps/` and changes nothing else (spec section 8).
    case timestamp

    /// Actions whose commits must not change the tree.
    public var keepsTree: Bool {
        switch self {
        case .approve, .decline, .delegate, .void, .notify, .send, .policyApprove, .comment: return true
        case .initialize, .policy, .draft, .invite, .enroll, .timestamp: return false
        }
    }

    /// Actions that name an agreement.
    public var needsAgreement: Bool {
        switch self {
        case .draft, .send, .approve, .decline, .delegate, .void, .notify, .comment, .invite, .enroll: return true
        case .initialize, .policy, .policyApprove, .timestamp: return false
        }
    }
}
