import ArgumentParser
import SigitCore

/// `sigit role add ROLE MEMBER...`.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "role", abstract: "Manage roles.", subcommands: [RoleAdd.self])
    @ParentCommand var root: SigitCommand
}

/// `sigit role add`.
struct RoleAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a role or add members to it (admin only).")
    @ParentCommand var parent: RoleCommand
    @Argument(help: "Role name.") var role: String
    @Argument(help: "Identities to add.") var members: [String]

    func run() throws {
        let written = try parent.root.workspace().changePolicy(subject: "policy: role \(role) += \(members.joined(separator: " "))") { policy in
            try PolicyEditor.addRole(&policy, role: role, members: members)
        }
        print("role \(role): added \(members.joined(separator: ", ")) in \(Output.short(written.commit.hex))")
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
        print("granted \(permission) to \(entries.joined(separator: ", ")) in \(Output.short(written.commit.hex))")
    }
}

/// `sigit policy show`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Read the policy.", subcommands: [PolicyShow.self])
    @ParentCommand var root: SigitCommand
}

/// `sigit policy show`: the policy in force at HEAD.
struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy in force at HEAD (judged from history, not the working tree).")
    @ParentCommand var parent: PolicyCommand
    @Flag(help: "Print JSON.") var json = false

    struct View: Codable { let serial: Int; let threshold: Int; let commit: String?; let digest: String?; let roles: [String: [String]]; let permissions: [String: [String]]; let identities: [String] }

    func run() throws {
        let (_, result) = try parent.root.workspace().state()
        guard let policy = result.state.policy else { return }
        if json {
            var permissions: [String: [String]] = [:]
            for (p, list) in policy.permissions { permissions[p.rawValue] = list }
            return try Output.json(View(serial: policy.serial, threshold: policy.threshold, commit: result.state.policyCommit?.hex,
                                        digest: result.state.policyDigest, roles: policy.roles, permissions: permissions, identities: policy.identities.keys.sorted()))
        }
        print("# policy in force: serial \(policy.serial), ratified at \(result.state.policyCommit?.hex ?? "?"), \(result.state.policyDigest ?? "")")
        print(String(decoding: try policy.yaml(), as: UTF8.self), terminator: "")
    }
}
