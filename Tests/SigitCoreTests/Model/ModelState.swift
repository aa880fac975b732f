import Foundation
import GitKit
@testable import SigitCore

/// The reference model's state at one commit: policy in force, pending proposals, departures, agreements, and the
/// events counted anywhere in the commit's history (by event identity).
struct ModelState {
    /// A proposed policy awaiting ratification.
    struct Pending: Equatable {
        var policy: Policy
        var approvers: Set<String>
        /// The commit that proposed it.
        var commit: ObjectID
    }
    /// A key that left the policy.
    struct Departure: Equatable {
        var commit: ObjectID
        var revoked: Bool
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
}
