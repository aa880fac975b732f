import ArgumentParser
import SigitCore

/// `sigit role add|remove ROLE MEMBER...`.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "role", abstract: "Manage roles.", subcommands: [RoleAdd.self, RoleRemove.self])
    @ParentCommand var root: SigitCommand
}

/// `sigit role add`.
struct RoleAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a role or add members to it (admin only).")
    @ParentCommand var parent: RoleCommand
    @Argument(help: "Role name.") var role: String
    @Argument(help: "Identities to add.", completion: .identities) var members: [String]

    func run() throws {
        let written = try parent.root.workspace().changePolicy(subject: "policy: role \(role) += \(members.joined(separator: " "))") { policy in
            try PolicyEditor.addRole(&policy, role: role, members: members)
        }
        print("role \(role): added \(members.joined(separator: ", ")) in \(PolicyOutcome.describe(written))")
    }
}

/// `sigit grant PERMISSION ENTRY...`.
struct GrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grant admin, draft, void or notify to identities or role:<name> (admin only).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "admin, draft, void or notify.") var permission: String
    @Argument(help: "Identities or role:<name>.") var entries: [String]

    func run() throws {
        let written = try root.workspace().changePolicy(subject: "policy: grant \(permission) to \(entries.joined(separator: " "))") { policy in
            try PolicyEditor.grant(&policy, permission: permission, entries: entries)
        }
        print("granted \(permission) to \(entries.joined(separator: ", ")) in \(PolicyOutcome.describe(written))")
    }
}
