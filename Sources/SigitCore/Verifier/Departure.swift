import Foundation
import GitKit

/// A key that left the policy: from `commit` on, only events that are ancestors of `commit` count (spec section 3).
public struct Departure: Sendable, Equatable {
    /// The commit whose ratified policy removed, retired or revoked the key.
    public let commit: ObjectID
    /// The identity that held the key.
    public let identity: String
    /// The key was revoked (not merely removed or retired): its earlier events stop counting too.
    public let revoked: Bool
    /// The key was revoked as compromised since this time (spec section 8): of its events, those that are ancestors of
    /// `commit` and carry a counted token from before it keep counting; the others do not.
    public var compromisedSince: Date? = nil
}

extension Departure {
    /// This departure (its commit and identity) with the stronger verdict of the two: revoked if either is, else the
    /// earlier compromise time of the two (spec section 8), else none.
    func joined(with other: Departure) -> Departure {
        let revoked = revoked || other.revoked
        let since = [compromisedSince, other.compromisedSince].compactMap { $0 }.min()
        return Departure(commit: commit, identity: identity, revoked: revoked, compromisedSince: revoked ? nil : since)
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension Departure: Codable {}
