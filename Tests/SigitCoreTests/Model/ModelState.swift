import Foundation
import GitKit
@testable import SigitCore

/// The reference model's state at one commit: policy in force, pending proposals, departures, agreements, the
/// events counted anywhere in the commit's history (by event identity), and (spec section 8) the signed events a
/// token may cover and the trusted times counted.
struct ModelState {
    /// A proposed policy awaiting ratification.
    struct Pending: Equatable {
        var policy: Policy
        var approvers: Set<String>
        /// The commit that proposed it.
        var commit: ObjectID
        /// Its signed events (the change, the approvals): a token may cover them (section 8).
        var events: [Data: ModelSignedEvent] = [:]
    }
    /// A key that left the policy.
    struct Departure: Equatable {
        var commit: ObjectID
        var revoked: Bool
        /// Section 8: revoked as compromised since this time (the commit is where that came into force).
        var compromisedSince: Date? = nil
        /// Section 8: the commit where that compromise time came into force (a token counts when it descends from
        /// the token's timestamp event).
        var compromisedAt: ObjectID? = nil
    }

    var root: ObjectID?
    var policy: Policy?
    var policyDigest: String?
    var pending: [String: Pending] = [:]
    /// Withdrawn changes since the last ratification: digest → withdrawing commits.
    var withdrawn: [String: Set<ObjectID>] = [:]
    var departures: [Data: Departure] = [:]
    var agreements: [String: ModelAgreement] = [:]
    /// Event identity → the commit that carried it when it was counted.
    var counted: [Data: ObjectID] = [:]
    /// Section 8: the signed events a token may cover, by event identity: every signed event an agreement counts
    /// (notices excepted: the model never stamps them) and the signed events of the ratified policies.
    var signedEvents: [Data: ModelSignedEvent] = [:]
    /// Section 8: counted tokens by the event they cover.
    var trustedTimes: [Data: ModelStamp] = [:]
}
