import Foundation
import GitKit
@testable import SigitCore

/// One agreement in the reference model's state, in the spec's words (section 4).
struct ModelAgreement: Equatable {
    /// One counted slot fill.
    struct Fill: Equatable {
        var slot: Int
        var identity: String
        var onBehalfOf: String?
        var keyBlob: Data
        /// The approval's event identity (section 8: a compromised key's fill stays when this event has a token).
        var event = Data()
    }
    /// One live delegation.
    struct Delegation: Equatable {
        var delegate: String
        var keyBlob: Data
        var event = Data()
    }
    /// The last counted draft or send on this history ("epoch"): its event identity and commit.
    struct Epoch: Equatable {
        var event: Data
        var commit: ObjectID
    }

    var id: String
    var phase: AgreementPhase = .draft
    /// Content digest of the counted content (the last counted draft).
    var digest: String
    /// The parsed agreement.yml of the counted content.
    var spec: AgreementSpec?
    var epoch: Epoch
    /// Digest the current round was sent with.
    var sendDigest: String?
    var sender: String?
    var creator: String
    var authors: Set<String>
    var fills: [String: [Fill]] = [:]
    var delegations: [String: [String: Delegation]] = [:]
    /// Key of the decline that ended the round (a later revocation undoes it).
    var declinedBy: Data?
    /// The event identity of that decline.
    var declinedEvent: Data?
    /// The commit at which the tree's content stopped matching `digest` (nil: it matches).
    var tamperedAt: ObjectID?
    /// The commit at which the state became completed.
    var completedAt: ObjectID?

    var workflow: [Step] { spec?.workflow ?? [] }

    /// The first step whose quorum is not met.
    var currentStep: Step? { workflow.first { (fills[$0.name]?.count ?? 0) < $0.needed } }

    /// (step, identity, on-behalf-of) of every counted fill, sorted: what the property test compares.
    var fillSet: [String] {
        fills.flatMap { step, list in list.map { "\(step):\($0.identity):\($0.onBehalfOf ?? "-")" } }.sorted()
    }
}
