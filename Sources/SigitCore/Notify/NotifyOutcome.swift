import GitKit

/// What one `sigit notify` run did: notices delivered and recorded, notices that failed, or (dry run) would be sent.
public struct NotifyOutcome: Sendable {
    /// One notice over one channel.
    public struct Item: Sendable {
        /// The notice.
        public let notice: DueNotice
        /// Channel type (`smtp`, `sendmail`, `webhook`, `outbox`).
        public let channel: String
        /// Subject line sent.
        public let subject: String
        /// The notify event recorded, when delivered.
        public let commit: ObjectID?
        /// Why it failed, when it did.
        public let error: String?
    }
    /// Delivered and recorded.
    public var delivered: [Item] = []
    /// Not delivered, or delivered but not recorded (it will be sent again next run).
    public var failed: [Item] = []
    /// Dry run: what would be sent.
    public var planned: [Item] = []
}
