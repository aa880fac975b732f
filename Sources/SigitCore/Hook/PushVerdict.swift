/// What a pre-receive check decided: accept the push or not, and the lines to tell the pusher.
public struct PushVerdict: Sendable, Equatable {
    /// True when every reference update may go ahead.
    public var accepted: Bool
    /// Lines for the pusher (git prints them as `remote: ...`), each naming the reference and the rule.
    public var lines: [String]
}
