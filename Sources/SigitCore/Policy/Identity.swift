/// A person or non-human identity of the policy, with its keys.
public struct Identity: Sendable, Equatable {
    /// The identity's name in the policy (a valid name).
    public var id: String
    /// Display name written as the commit author.
    public var name: String
    /// Email written as the commit author and used as the `allowed_signers` principal.
    public var email: String
    /// Human, service or agent.
    public var kind: IdentityKind
    /// The human who answers for a service or agent identity.
    public var owner: String?
    /// The identity's SSH keys.
    public var keys: [PolicyKey]
    /// For a counterparty invited to sign in a browser (spec section 9): the admin's invitation.
    public var invitation: Invitation?

    /// An identity.
    public init(id: String, name: String, email: String, kind: IdentityKind = .human, owner: String? = nil, keys: [PolicyKey], invitation: Invitation? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.kind = kind
        self.owner = owner
        self.keys = keys
        self.invitation = invitation
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension Identity: Codable {}
