/// What an identity is: a person, or a non-human identity answering to a human owner.
public enum IdentityKind: String, Sendable, Codable, CaseIterable {
    case human, service, agent

    /// Whether the identity is a person.
    public var isHuman: Bool { self == .human }
}
