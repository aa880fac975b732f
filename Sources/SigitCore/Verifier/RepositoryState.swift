import Foundation
import GitKit

/// Everything the rules need to know as of one commit, derived from its ancestors.
public struct RepositoryState: Sendable {
    /// The trust root, once seen.
    public var root: ObjectID?
    /// The policy in force.
    public var policy: Policy?
    /// The commit that ratified the policy in force.
    public var policyCommit: ObjectID?
    /// `sha256:<hex>` of the policy file in force.
    public var policyDigest: String?
    /// Proposed policies awaiting ratification, by digest.
    public var pending: [String: PendingPolicy] = [:]
    /// Changes withdrawn since the policy in force came into force: digest → the commits that withdrew it. At a
    /// merge, a pending change whose proposal does not descend from every withdrawal of it is dropped.
    public var withdrawn: [String: [ObjectID]] = [:]
    /// Keys that left the policy, by key blob.
    public var departures: [Data: Departure] = [:]
    /// Policies that came into force, oldest first.
    public var ratifications: [Ratification] = []
    /// Agreements by id.
    public var agreements = AgreementMap()
    /// The highest FIDO signature counter each key (by fingerprint) showed in the history up to here; a merge takes
    /// the highest of its sides (spec section 7, `counter-regression`).
    public var counters: [String: UInt32] = [:]
    /// The counted time-stamp token of each event that has one (spec section 8); a merge keeps the earliest.
    public var trustedTimes: [EventID: TrustedStamp] = [:]
    /// Tree of `.sigit/` at this commit.
    var sigitTree: ObjectID?
    /// Tree of `agreements/` at this commit.
    var agreementsTree: ObjectID?

    /// The state before any commit.
    public init() {}

    /// Agreements sorted by id.
    public var sortedAgreements: [AgreementTrack] { agreements.keys.sorted().compactMap { agreements[$0] } }
}

// Codable: the state snapshot (StateStore) stores everything but the agreements as JSON (small: the policies), and
// the agreements, most of the state, in its binary form (AgreementTrack.write(to:)).
extension RepositoryState: Codable {
    private enum CodingKeys: String, CodingKey {
        case root, policy, policyCommit, policyDigest, pending, withdrawn, departures, ratifications, counters, trustedTimes, sigitTree, agreementsTree
    }
}
