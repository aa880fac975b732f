/// What `sigit approve` or `sigit seal` did about time-stamping its events: the run, when there was one, and one line
/// for standard error when something stayed unstamped. A failure here never undoes the approval or stops the seal.
public struct TimestampFollowUp: Sendable {
    /// The `sigit timestamp` run made, when one was.
    public var outcome: TimestampOutcome?
    /// One sentence (a warning or a note) for standard error, when events stayed without a token.
    public var note: String?

    /// A follow-up.
    public init(outcome: TimestampOutcome? = nil, note: String? = nil) {
        self.outcome = outcome
        self.note = note
    }
}
