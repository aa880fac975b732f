import Foundation
import GitKit

/// What one `sigit timestamp` run asks for: which events, which TSAs, how long to wait for each.
public struct TimestampRun: Sendable {
    /// The events to stamp (only those without a counted token are asked for).
    public enum Selection: Sendable, Equatable {
        /// Every event a token may cover: every agreement's, and the policy events.
        case all
        /// The events of these agreements.
        case agreements([String])
        /// The events written by these commits (`sigit approve` stamps its own approval).
        case commits([ObjectID])
    }

    /// The events.
    public var selection: Selection
    /// The TSAs' URLs, asked in this order; empty: the `url`s of the policy's authorities, in the policy's order.
    public var tsas: [String]
    /// The time limit of one exchange with a TSA, in seconds.
    public var timeout: TimeInterval
    /// A PEM file of CA certificates for https TSAs (nil: the system's); from `SIGIT_TSA_CAFILE`.
    public var caFile: String?

    /// A run.
    public init(selection: Selection, tsas: [String] = [], timeout: TimeInterval = TSAClient.defaultTimeout, caFile: String? = nil) {
        self.selection = selection
        self.tsas = tsas
        self.timeout = timeout
        self.caFile = caFile
    }
}
