/// One slot of a step as `sigit status ID` shows it.
public struct SlotStatus: Sendable, Codable, Equatable {
    /// The slot as written in the workflow (`alice`, `role:legal`).
    public let slot: String
    /// The identity that filled it (or must fill it, for an identity slot); nil for an open role slot.
    public let identity: String?
    /// `waiting`, `pending`, `approved`, `declined`, `stale`, `not-needed`.
    public let state: String
    /// The commit that filled it, when filled.
    public let commit: String?
}
