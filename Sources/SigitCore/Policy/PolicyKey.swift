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
    /// The key is compromised since this time (spec section 8): it signs nothing new, and of its earlier events only
    /// those with a counted time-stamp token from before this time keep counting.
    public var compromisedSince: Date?

    /// A key with no window, not revoked.
    public init(key: SSHPublicKey, validAfter: Date? = nil, validBefore: Date? = nil, revoked: Bool = false, compromisedSince: Date? = nil) {
        self.key = key
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.revoked = revoked
        self.compromisedSince = compromisedSince
    }

    /// Revoked outright, or compromised since a time: either way it signs nothing new.
    public var isCompromised: Bool { revoked || compromisedSince != nil }

    /// Whether a signature made at `time` (committer time) falls inside the window.
    public func isValid(at time: Date) -> Bool {
        if let validAfter, time < validAfter { return false }
        if let validBefore, time >= validBefore { return false }
        return true
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension PolicyKey: Codable {}
