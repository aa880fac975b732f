import Foundation
import SSHSig

/// One SSH key of an identity with its validity window (spec section 3).
public struct PolicyKey: Sendable, Equatable {
    /// The public key.
    public var key: SSHPublicKey
    /// Signatures made before this time are invalid.
    public var validAfter: Date?
    /// Signatures made at or after this time are invalid (the key is retired).
    public var validBefore: Date?
    /// The key is compromised: no signature by it counts.
    public var revoked: Bool

    /// A key with no window, not revoked.
    public init(key: SSHPublicKey, validAfter: Date? = nil, validBefore: Date? = nil, revoked: Bool = false) {
        self.key = key
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.revoked = revoked
    }

    /// Whether a signature made at `time` (committer time) falls inside the window.
    public func isValid(at time: Date) -> Bool {
        if let validAfter, time < validAfter { return false }
        if let validBefore, time >= validBefore { return false }
        return true
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension PolicyKey: Codable {}
