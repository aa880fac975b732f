/// The derived state of an agreement (spec section 4).
public enum AgreementPhase: String, Sendable, Codable, CaseIterable {
    case draft
    case inProgress = "in-progress"
    case completed, declined, voided, expired, invalid

    /// Completed and voided agreements take no further content change.
    public var isTerminal: Bool { self == .completed || self == .voided }
}
