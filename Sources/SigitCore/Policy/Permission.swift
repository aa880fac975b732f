/// The permissions a policy grants (spec section 3).
public enum Permission: String, Sendable, CaseIterable {
    /// Change the policy and anything under `.sigit/`.
    case admin
    /// Create, revise and send agreements.
    case draft
    /// Void any agreement.
    case void
    /// Record notification events.
    case notify
    /// Add time-stamp tokens for any event (spec section 8): meant for a service account. Anyone may add tokens for
    /// events they signed themselves.
    case timestamp
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension Permission: Codable {}
