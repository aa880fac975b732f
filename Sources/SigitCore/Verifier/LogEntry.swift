import Foundation
import GitKit

/// One event of the audit trail as `sigit log` shows it.
public struct LogEntry: Sendable {
    /// The commit.
    public let commit: ObjectID
    /// Committer time.
    public let time: Date
    /// The action (draft for content changes without trailers; nil for a clean merge).
    public let action: String
    /// The acting identity, when known.
    public let identity: String?
    /// SHA256 fingerprint of the signing key, when signed.
    public let fingerprint: String?
    /// Key algorithm, when signed.
    public let keyType: String?
    /// Agreement ids the event concerns.
    public let agreements: [String]
    /// Step, for approve/decline/delegate.
    public let step: String?
    /// The commit's subject.
    public let subject: String
    /// Body text (reason, comment).
    public let body: String
    /// Violations found on this commit (empty when it counts).
    public let violations: [Finding]
    /// The `Sigit-*` trailers, when present and well formed.
    public var trailers: EventTrailers? = nil
}
