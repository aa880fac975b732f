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
    /// The identity the recipient handed this slot to (state `delegated`), or the delegate who filled it.
    public var delegate: String? = nil
    /// For a slot filled by a delegate: the recipient it acted for.
    public var onBehalfOf: String? = nil

    enum CodingKeys: String, CodingKey {
        case slot, identity, state, commit, delegate
        case onBehalfOf = "on-behalf-of"
    }
}
