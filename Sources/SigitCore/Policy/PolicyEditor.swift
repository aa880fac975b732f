import Foundation
import SSHSig

/// Checks and applies admin changes to the policy (identities, roles, permissions).
public enum PolicyEditor {
    /// Where the generated allowed-signers copy lives.
    public static let allowedSignersPath = ".sigit/allowed_signers"

    /// The policy file and its allowed-signers copy, after checking the policy parses back to itself.
    static func files(_ policy: Policy) throws -> [String: EventDraft.FileChange] {
        let data = try policy.yaml()
        do {
            let parsed = try Policy(yaml: data)
            guard parsed == policy else { throw SigitError.badInput("the policy does not survive a round trip through YAML; nothing was written") }
        } catch let error as SchemaError {
            throw SigitError.badInput("the new policy would be invalid: \(error.reason); nothing was written")
        }
        return [
            Policy.path: .write(data, executable: false),
            allowedSignersPath: .write(Data(policy.allowedSigners().utf8), executable: false),
        ]
    }

    /// A display name and email fit for `name <email>` and an allowed_signers line.
    static func checkPerson(displayName: String, email: String) throws {
        guard !displayName.isEmpty, displayName.count <= 100,
              !displayName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "<" || $0 == ">" }) else {
            throw SigitError.badInput("invalid display name \(Name.quoted(displayName)): one line, at most 100 characters, no < or >")
        }
        guard EmailAddress.isValid(email) else {
            throw SigitError.badInput("invalid email \(Name.quoted(email)): expected one address like alice@example.com")
        }
    }

    /// Adds an identity with one key.
    public static func addIdentity(_ policy: inout Policy, id: String, displayName: String, email: String, key: SSHPublicKey, kind: IdentityKind, owner: String?) throws {
        try Name.check(id, "identity name")
        guard policy.identities[id] == nil else { throw SigitError.badInput("identity \(id) already exists") }
        try checkPerson(displayName: displayName, email: email)
        if let (other, _) = policy.owner(of: key) {
            throw SigitError.badInput("key \(key.fingerprint) already belongs to \(other.id); one key, one identity")
        }
        if kind.isHuman {
            guard owner == nil else { throw SigitError.badInput("--owner is only for service and agent identities") }
        } else {
            guard let owner else { throw SigitError.badInput("a \(kind.rawValue) identity needs --owner, the human who answers for it") }
            guard let human = policy.identities[owner], human.kind.isHuman else {
                throw SigitError.badInput("owner \(Name.quoted(owner)) must be a human identity in the policy")
            }
        }
        policy.identities[id] = Identity(id: id, name: displayName, email: email, kind: kind, owner: owner, keys: [PolicyKey(key: key)])
    }

    /// Creates a role or adds members to it.
    public static func addRole(_ policy: inout Policy, role: String, members: [String]) throws {
        try Name.check(role, "role name")
        guard !members.isEmpty else { throw SigitError.badInput("name at least one member of role \(role)") }
        var list = policy.roles[role] ?? []
        for member in members {
            try Name.check(member, "identity name")
            guard policy.identities[member] != nil else { throw SigitError.badInput("unknown identity \(member); add it with sigit identity add first") }
            if !list.contains(member) { list.append(member) }
        }
        policy.roles[role] = list
    }

    /// The permission `name` names, for a change that lists `entries` (at least one); a clear error otherwise.
    static func permission(_ name: String, entries: [String], purpose: String) throws -> Permission {
        guard let permission = Permission(rawValue: name) else {
            throw SigitError.badInput("unknown permission \(Name.quoted(name)); use one of \(Permission.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !entries.isEmpty else { throw SigitError.badInput("name at least one identity or role:<name> \(purpose)") }
        return permission
    }

    /// Grants a permission to identities or `role:<name>` entries.
    public static func grant(_ policy: inout Policy, permission name: String, entries: [String]) throws {
        let permission = try permission(name, entries: entries, purpose: "to grant \(name) to")
        var list = policy.permissions[permission] ?? []
        for entry in entries {
            guard let slot = Slot(entry) else { throw SigitError.badInput("invalid entry \(Name.quoted(entry)): an identity or role:<name>") }
            switch slot {
            case .identity(let id):
                guard let identity = policy.identities[id] else { throw SigitError.badInput("unknown identity \(id)") }
                if permission == .admin, !identity.kind.isHuman {
                    throw SigitError.badInput("\(id) is a \(identity.kind.rawValue) identity; only humans may be admins")
                }
            case .role(let role):
                guard policy.roles[role] != nil else { throw SigitError.badInput("unknown role \(role); create it with sigit role add") }
            }
            if !list.contains(entry) { list.append(entry) }
        }
        policy.permissions[permission] = list
    }
}
