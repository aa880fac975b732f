import Foundation

/// One plain-text message to one or more recipients, delivered by a `Channel`.
///
/// The same notice renders as an RFC 5322 message (SMTP, sendmail, outbox) or as a JSON
/// payload (webhook); nothing in it is specific to agreements.
public struct Notice: Sendable {
    /// The sender: the `From:` header and the SMTP envelope sender.
    public var from: MailAddress
    /// The recipients: the `To:` header and the SMTP envelope recipients.
    public var to: [MailAddress]
    /// The subject line, any Unicode; CR, LF and NUL are refused.
    public var subject: String
    /// The plain-text body with `\n` line ends (CRLF and lone CR are accepted and normalized).
    public var body: String
    /// A unique id such as `sigit.nda-1.request.bob@sigit.local`, with or without `<>`.
    public var messageID: String
    /// The message this one answers (threading), usually the first message about the same subject.
    public var inReplyTo: String?
    /// Earlier messages of the thread, oldest first, with or without `<>`.
    public var references: [String]
    /// When the notice was written: the `Date:` header and the webhook `date`.
    public var date: Date
    /// The event name, e.g. `recipient.request`: the webhook `event` and the `X-Sigit-Event` header.
    public var event: String
    /// Extra structured fields for the webhook payload's `data` object.
    public var data: [String: String]

    /// A notice; threading fields and `data` are optional.
    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        body: String,
        messageID: String,
        inReplyTo: String? = nil,
        references: [String] = [],
        date: Date = Date(),
        event: String,
        data: [String: String] = [:]
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.event = event
        self.data = data
    }
}
