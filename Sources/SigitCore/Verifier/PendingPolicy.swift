import Foundation
import GitKit

/// A proposed policy waiting for `threshold` admins (spec section 3).
public struct PendingPolicy: Sendable {
    /// The proposed policy.
    public let policy: Policy
    /// `sha256:<hex>` of the proposed file bytes.
    public let digest: String
    /// The commit that changed the file.
    public let commit: ObjectID
    /// Admins who signed for it so far.
    public var approvers: Set<String>
    /// The commits that signed for it so far, with their keys.
    public var signatures: [Ratification.Signed] = []
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension PendingPolicy: Codable {}
