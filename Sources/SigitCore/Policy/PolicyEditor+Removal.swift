import Foundation

extension PolicyEditor {
    /// Removes members from a role; a role left without members is deleted.
    ///
    /// Refuses an unknown role or member, a change that leaves no admin or fewer admins than the threshold, and
    /// deleting a role that a permission or an agreement still in progress names (`namedBy`: the ids of the
    /// agreements that are not completed or voided and name `role:<role>`).
    public static func removeRoleMembers(_ policy: inout Policy, role: String, members: [String], namedBy: [String] = []) throws {
        try Name.check(role, "role name")
        guard !members.isEmpty else { throw SigitError.badInput("name at least one member to remove from role \(role)") }
        guard var list = policy.roles[role] else { throw SigitError.badInput("unknown role \(role); sigit policy show lists the roles") }
        for member in members {
            try Name.check(member, "identity name")
            guard list.contains(member) else { throw SigitError.badInput("\(member) is not a member of role \(role) (\(list.joined(separator: ", ")))") }
            list.removeAll { $0 == member }
        }
        let before = policy
        if list.isEmpty {
            let granted = Permission.allCases.filter { (policy.permissions[$0] ?? []).contains("role:" + role) }.map(\.rawValue)
            guard granted.isEmpty else {
                throw SigitError.badInput("removing the last member would delete role \(role), which holds \(granted.joined(separator: ", ")); ungrant it first (sigit ungrant \(granted[0]) role:\(role)) or add another member")
            }
            guard namedBy.isEmpty else {
                throw SigitError.badInput("removing the last member would delete role \(role), which agreement \(namedBy.joined(separator: ", ")) still names; add another member first, or finish or void the agreement")
            }
            policy.roles[role] = nil
        } else {
            policy.roles[role] = list
        }
        try checkAdmins(policy, before: before, change: "removing \(members.joined(separator: ", ")) from role \(role)")
    }

    /// Removes identities or `role:<name>` entries from a permission; the admin permission must keep a holder.
    public static func ungrant(_ policy: inout Policy, permission name: String, entries: [String]) throws {
        let permission = try permission(name, entries: entries, purpose: "to remove from \(name)")
        var list = policy.permissions[permission] ?? []
        for entry in entries {
            guard Slot(entry) != nil else { throw SigitError.badInput("invalid entry \(Name.quoted(entry)): an identity or role:<name>") }
            guard list.contains(entry) else {
                let held = list.isEmpty ? "nobody holds it directly" : "it is granted to \(list.joined(separator: ", "))"
                throw SigitError.badInput("\(entry) is not granted \(name); \(held)")
            }
            list.removeAll { $0 == entry }
        }
        let before = policy
        policy.permissions[permission] = list.isEmpty ? nil : list
        try checkAdmins(policy, before: before, change: "removing \(name) from \(entries.joined(separator: ", "))")
    }

    /// Refuses a change that leaves the policy without an admin, or with fewer admins than its threshold.
    static func checkAdmins(_ policy: Policy, before: Policy, change: String) throws {
        let admins = policy.holders(of: .admin)
        guard !admins.isEmpty else {
            throw SigitError.badInput("\(change) would leave no admin (\(before.holders(of: .admin).joined(separator: ", ")) now); grant admin to another human first")
        }
        guard admins.count >= policy.threshold else {
            throw SigitError.badInput("\(change) would leave \(admins.count) admins (\(admins.joined(separator: ", "))) under the threshold \(policy.threshold); lower it first with sigit policy threshold \(admins.count)")
        }
    }
}
