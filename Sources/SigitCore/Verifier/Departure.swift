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
    /// The commit whose ratified policy set `compromisedSince` (the departure's own commit, or a later one when the
    /// key had already left by retirement or removal): a token keeps an event counting only when this commit descends
    /// from the timestamp event that added it.
    public var compromisedAt: ObjectID? = nil
    /// The authorities (certificate fingerprints) the policy that set `compromisedSince` lists: only their tokens keep
    /// the key's events counting. The admins who revoke a stolen key decide which TSAs they trust for it, so a TSA the
    /// thief listed with the key itself, and removed by that change, vouches for nothing.
    public var trustedAuthorities: Set<String>? = nil
}

extension Departure {
    /// This departure (its commit and identity) with the stronger verdict of the two: revoked if either is, else the
    /// earlier compromise time of the two (spec section 8), else none.
    func joined(with other: Departure) -> Departure {
        let revoked = revoked || other.revoked
        guard !revoked else { return Departure(commit: commit, identity: identity, revoked: true) }
        let earlier = (other.compromisedSince ?? .distantFuture) < (compromisedSince ?? .distantFuture) ? other : self
        return Departure(commit: commit, identity: identity, revoked: false, compromisedSince: earlier.compromisedSince, compromisedAt: earlier.compromisedAt,
                         trustedAuthorities: earlier.trustedAuthorities)
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension Departure: Codable {}
