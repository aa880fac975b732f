import Foundation
import GitKit

/// One policy that came into force, with the keys that signed for it (kept to judge merges after a key left).
public struct Ratification: Sendable, Equatable {
    /// The commit that proposed the policy.
    public let proposal: ObjectID
    /// The commit at which it came into force.
    public let commit: ObjectID
    /// Policy serial.
    public let serial: Int
    /// Commits that signed for it (the proposal and each counted policy-approve) with their key blobs.
    public let signatures: [Signed]
    /// The policy that came into force, and the digest of its file.
    public let policy: Policy
    public let digest: String

    /// A commit and the key blob that signed it.
    public struct Signed: Sendable, Equatable {
        public let commit: ObjectID
        public let keyBlob: Data
        /// The event's identity (a copy of the commit under another id has the same one).
        public var event: EventID? = nil
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension Ratification: Codable {}
extension Ratification.Signed: Codable {}
