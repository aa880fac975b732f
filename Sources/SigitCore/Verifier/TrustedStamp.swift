import Foundation
import GitKit

/// A counted time-stamp token of one event (spec section 8): the authority vouches that the event's commit object
/// existed at `genTime`. It says nothing about who signed the event.
public struct TrustedStamp: Sendable, Equatable, Codable {
    /// The token's genTime.
    public let genTime: Date
    /// The name of the policy's authority the token chains to.
    public let authority: String
    /// That authority's certificate fingerprint (`TimestampAuthority.fingerprint`).
    public let authorityFingerprint: String
    /// The subject of the TSA certificate that signed the token.
    public let tsaSubject: String
    /// The `timestamp` event that added the token.
    public let addedBy: ObjectID
    /// The token's path in the tree (`.sigit/timestamps/<event>.tsr`).
    public let path: String
    /// The event's committer time is later than `genTime` by more than the `max-skew` of the policy in force when
    /// the token was counted (a `clock-skew` warning): the signer's clock, or the signer, said something untrue.
    public let skewed: Bool
}
