import Foundation
import GitKit

/// What `sigit timestamp` did: the tokens it recorded (in one `timestamp` event), the events no TSA stamped, the events
/// it left to a holder of `timestamp`, and one sentence per TSA that failed.
public struct TimestampOutcome: Sendable {
    /// One event, and how it was stamped when it was.
    public struct Item: Sendable, Equatable {
        /// The event identity (the token's file is named after it).
        public let event: EventID
        /// The commit the token covers.
        public let commit: ObjectID
        /// The agreement; nil for a policy event.
        public let agreement: String?
        /// The URL of the TSA that gave the token, when one did.
        public var tsa: String? = nil
        /// The token's `genTime`, when stamped.
        public var genTime: Date? = nil
        /// The policy authority the token chains to, when stamped.
        public var authority: String? = nil
        /// The token's path in the tree, when stamped.
        public var path: String? = nil
    }

    /// The acting identity.
    public let identity: String
    /// The `timestamp` event written; nil when nothing was written.
    public var commit: ObjectID? = nil
    /// The events stamped and recorded in `commit`.
    public var stamped: [Item] = []
    /// The selected events no TSA gave a token for; nothing was recorded for them.
    public var unstamped: [Item] = []
    /// The selected events signed by others, left out because the identity lacks the `timestamp` permission.
    public var othersEvents: [Item] = []
    /// Selected events that already had a counted token.
    public var alreadyStamped = 0
    /// One sentence per TSA that failed (each TSA is asked no more in the run once it failed).
    public var tsaFailures: [TSAFailure] = []

    /// Nothing to ask for: every selected event the identity may stamp has a token.
    public var nothingToDo: Bool { stamped.isEmpty && unstamped.isEmpty }
}
