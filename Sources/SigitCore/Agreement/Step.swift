/// One step of an agreement's workflow; its recipients act in parallel.
public struct Step: Sendable, Hashable {
    /// How many slots must approve.
    public enum Requirement: Sendable, Hashable, CustomStringConvertible {
        case all
        case count(Int)
        public var description: String {
            switch self {
            case .all: return "all"
            case .count(let n): return String(n)
            }
        }
    }

    /// The step's name.
    public var name: String
    /// Approver slots, in order.
    public var approvers: [Slot]
    /// `all` (default) or a number of slots.
    public var require: Requirement
    /// Service and agent identities cannot fill a slot (default true).
    public var humansOnly: Bool
    /// Recipients may delegate (default false).
    public var delegation: Bool
    /// The author of the current revision may fill a slot (default false).
    public var allowAuthor: Bool
    /// What the signature of an approve, decline or delegate must show (spec section 7); nothing by default.
    public var assurance: Assurance = .none

    /// Number of approved slots that complete the step.
    public var needed: Int {
        switch require {
        case .all: return approvers.count
        case .count(let n): return n
        }
    }
}
