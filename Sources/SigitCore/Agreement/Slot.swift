/// One approver slot of a step: a named identity, or any one member of a role.
public enum Slot: Sendable, Equatable, Hashable, CustomStringConvertible {
    case identity(String)
    case role(String)

    /// Parses `alice` or `role:legal`; nil when the name is invalid.
    public init?(_ text: String) {
        if text.hasPrefix("role:") {
            let role = String(text.dropFirst(5))
            guard Name.isValid(role) else { return nil }
            self = .role(role)
        } else {
            guard Name.isValid(text) else { return nil }
            self = .identity(text)
        }
    }

    public var description: String {
        switch self {
        case .identity(let name): return name
        case .role(let role): return "role:\(role)"
        }
    }

    /// Whether `identity` may fill this slot under `policy`.
    public func admits(_ identity: String, in policy: Policy) -> Bool {
        switch self {
        case .identity(let name): return name == identity
        case .role(let role): return policy.members(of: role).contains(identity)
        }
    }
}
