/// Why an `HTTPPost` got no answer: the URL and one clause, safe to print on one line.
public struct HTTPPostError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The class of failure.
    public enum Kind: Sendable, Equatable {
        /// The URL is not usable (scheme, spaces, credentials); nothing was sent.
        case badURL
        /// The server could not be reached.
        case unreachable
        /// No whole answer within the time limit.
        case timedOut
        /// The answer was longer than the cap.
        case tooLarge
        /// The TLS connection failed (certificate, handshake).
        case tls
        /// Any other transfer failure.
        case failed
    }

    /// The URL asked (flattened to one line).
    public let url: String
    /// The class of failure.
    public let kind: Kind
    /// What happened, a clause without a subject or final period ("did not answer within 5 seconds").
    public let reason: String

    /// An error; `url` and `reason` are flattened to one line.
    public init(url: String, kind: Kind, reason: String) {
        self.url = OneLine.safe(url, limit: 300)
        self.kind = kind
        self.reason = OneLine.safe(reason, limit: 600)
    }

    /// `<url> <reason>`.
    public var description: String { "\(url) \(reason)" }
}
