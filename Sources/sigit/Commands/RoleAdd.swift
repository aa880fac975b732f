import ArgumentParser
import SigitCore

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
