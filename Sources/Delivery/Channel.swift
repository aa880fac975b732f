/// A way to deliver a `Notice`: SMTP, a local sendmail, a webhook or an outbox directory.
///
/// `deliver` either hands the whole notice over or throws a `DeliveryError`; a channel never
/// reports success for a partial delivery, so a caller can retry a failed notice as a whole.
public protocol Channel: Sendable {
    /// What the channel delivers to, for messages and logs; never contains a secret.
    var description: String { get }
    /// Delivers one notice, or throws a `DeliveryError` that says which channel failed and why.
    func deliver(_ notice: Notice) throws
}
