/// Why one time-stamping authority gave no token that counts: one sentence naming it ("the TSA <url> did not answer
/// within 30 seconds"). The URL and reason are escaped for the terminal.
public struct TSAFailure: Error, CustomStringConvertible, Sendable, Equatable {
    /// The TSA's URL, escaped.
    public let url: String
    /// What went wrong, a clause ("answered HTTP 500"), escaped.
    public let reason: String

    /// A failure of the TSA at `url`.
    public init(url: String, reason: String) {
        self.url = TerminalText.safe(url)
        self.reason = TerminalText.safe(reason)
    }

    /// The sentence.
    public var description: String { "the TSA \(url) \(reason)" }
}
