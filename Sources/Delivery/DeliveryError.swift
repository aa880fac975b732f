/// Why a notice could not be delivered (or a channel could not be set up): one plain sentence.
public struct DeliveryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, so a caller can tell a setup mistake from an outage.
    public enum Kind: Sendable, Equatable {
        /// The channel spec, git config or environment is wrong; nothing was sent.
        case configuration
        /// The notice itself cannot be sent safely (header injection, invalid address); nothing was sent.
        case invalidNotice
        /// The receiving side refused it for good (authentication, unknown recipient, HTTP 4xx).
        case refused
        /// The receiving side could not be reached or failed for now (connection, timeout, 5xx); retry later.
        case unavailable
    }

    /// The channel, as in `Channel.description` or the spec text (never a secret).
    public var channel: String
    /// The class of failure.
    public var kind: Kind
    /// The reason, a clause without a final period, safe to print on one line.
    public var reason: String

    /// An error for `channel`; `reason` is flattened to one line.
    public init(channel: String, kind: Kind, reason: String) {
        self.channel = channel
        self.kind = kind
        self.reason = OneLine.safe(reason, limit: 600)
    }

    /// `true` when trying again later may succeed without changing anything.
    public var isTransient: Bool { kind == .unavailable }

    /// The sentence: which channel, and why.
    public var description: String {
        "cannot deliver via \(OneLine.safe(channel, limit: 300)): \(reason)"
    }

    /// The same failure attributed to another channel (the renderer does not know which channel uses it).
    func on(_ channel: String) -> DeliveryError {
        DeliveryError(channel: channel, kind: kind, reason: reason)
    }
}
