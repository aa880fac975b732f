import Delivery

/// A configured delivery channel and the type name recorded in `Sigit-Channel`.
public struct NotifyChannel: Sendable {
    /// `smtp`, `sendmail`, `webhook` or `outbox`.
    public let type: String
    /// The channel spec as configured (never recorded: it may name hosts).
    public let spec: String
    /// The deliverer.
    public let channel: any Channel

    /// Parses one channel spec (`smtp://HOST:PORT`, `smtps://…`, `sendmail[:PATH]`, `webhook:URL`, `outbox:DIR`).
    public init(spec: String, environment: [String: String], config: (String) -> String?) throws {
        let scheme = spec.split(separator: ":", maxSplits: 1).first.map(String.init)?.lowercased() ?? ""
        switch scheme {
        case "smtp", "smtps", "smtp+starttls": type = "smtp"
        case "sendmail", "webhook", "outbox": type = scheme
        default: throw SigitError.badInput("unknown channel \(TerminalText.safe(spec)): use smtp://HOST:PORT, smtps://HOST:PORT, sendmail[:PATH], webhook:URL or outbox:DIR")
        }
        self.spec = spec
        do {
            channel = try ChannelSpec.parse(spec, environment: environment, config: config)
        } catch let error as DeliveryError {
            throw SigitError.badInput(error.description)
        }
    }
}
