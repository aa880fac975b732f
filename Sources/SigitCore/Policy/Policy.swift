import Foundation
import SSHSig

/// The identities, keys, roles and permissions of `.sigit/policy.yml` (spec section 3).
public struct Policy: Sendable, Equatable {
    /// Grows by exactly one with every change.
    public var serial: Int
    /// Admins needed to ratify a change.
    public var threshold: Int
    /// Identities by name.
    public var identities: [String: Identity]
    /// Role members by role name.
    public var roles: [String: [String]]
    /// Entries (identity names or `role:<name>`) by permission.
    public var permissions: [Permission: [String]]

    /// A policy.
    public init(serial: Int, threshold: Int = 1, identities: [String: Identity], roles: [String: [String]] = [:], permissions: [Permission: [String]] = [:]) {
        self.serial = serial
        self.threshold = threshold
        self.identities = identities
        self.roles = roles
        self.permissions = permissions
    }

    /// The identity and key entry that own `key`, if any.
    public func owner(of key: SSHPublicKey) -> (identity: Identity, key: PolicyKey)? {
        for identity in identities.values {
            if let entry = identity.keys.first(where: { $0.key.blob == key.blob }) { return (identity, entry) }
        }
        return nil
    }

    /// Members of a role (empty when the role does not exist).
    public func members(of role: String) -> [String] { roles[role] ?? [] }

    /// Whether the identity holds `permission`, directly or through a role.
    public func allows(_ permission: Permission, _ identity: String) -> Bool {
        for entry in permissions[permission] ?? [] {
            if entry == identity { return true }
            if entry.hasPrefix("role:"), members(of: String(entry.dropFirst(5))).contains(identity) { return true }
        }
        return false
    }

    /// Identities that hold `permission`.
    public func holders(of permission: Permission) -> [String] {
        identities.keys.filter { allows(permission, $0) }.sorted()
    }
}
