/// One mailbox: a display name (may be empty, any Unicode) and a plain addr-spec such as `bob@example.com`.
public struct MailAddress: Sendable, Equatable, Hashable {
    /// The display name shown by mail clients; encoded as RFC 2047 words when it is not plain ASCII.
    public var name: String
    /// The addr-spec (`local@domain`, ASCII, no spaces or angle brackets); checked before anything is sent.
    public var email: String

    /// A mailbox with an optional display name.
    public init(name: String = "", email: String) {
        self.name = name
        self.email = email
    }
}
