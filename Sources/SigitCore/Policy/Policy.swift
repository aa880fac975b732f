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
    /// The time-stamping authorities trusted and how trusted time is used (spec section 8); nil when not set.
    public var timestamping: Timestamping?

    /// A policy.
    public init(serial: Int, threshold: Int = 1, identities: [String: Identity], roles: [String: [String]] = [:], permissions: [Permission: [String]] = [:],
                timestamping: Timestamping? = nil) {
        self.serial = serial
        self.threshold = threshold
        self.identities = identities
        self.roles = roles
        self.permissions = permissions
        self.timestamping = timestamping
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
    ///
    /// Each role is looked at once however often it is listed, so the work stays linear in the
    /// size of the policy (a policy comes from the repository, and can be hostile).
    public func allows(_ permission: Permission, _ identity: String) -> Bool {
        let entries = permissions[permission] ?? []
        if entries.contains(identity) { return true }
        return grantedRoles(permission).contains { members(of: $0).contains(identity) }
    }

    /// Identities that hold `permission`, directly or through a role (linear in the size of the policy).
    public func holders(of permission: Permission) -> [String] {
        var names = Set((permissions[permission] ?? []).filter { !$0.hasPrefix("role:") })
        for role in grantedRoles(permission) { names.formUnion(members(of: role)) }
        return names.filter { identities[$0] != nil }.sorted()
    }

    /// The roles named by `role:<name>` entries of `permission`, each once.
    private func grantedRoles(_ permission: Permission) -> Set<String> {
        Set((permissions[permission] ?? []).lazy.filter { $0.hasPrefix("role:") }.map { String($0.dropFirst(5)) })
    }
}

// Codable: the state snapshot (StateSnapshot) stores what the ledger derived.
extension Policy: Codable {}
