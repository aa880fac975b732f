/// What a fetch or push reported besides success: the server's messages and the references it refused.
public struct RemoteReport: Sendable, Equatable {
    /// The lines the server sent on the sideband (what git prints as "remote: ..."), e.g. a hook's
    /// output; progress a terminal would overwrite keeps only its last state; empty lines are dropped.
    public var messages: [String]
    /// The references the push did not update, full name → reason ("non-fast-forward", "fetch first",
    /// "pre-receive hook declined", ...); a rejected reference is reported here, not thrown.
    public var rejected: [String: String]

    /// Creates a report from its parts.
    public init(messages: [String] = [], rejected: [String: String] = [:]) {
        self.messages = messages
        self.rejected = rejected
    }
}
