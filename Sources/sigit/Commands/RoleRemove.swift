import ArgumentParser
import SigitCore

/// `sigit role remove ROLE MEMBER...`: takes members out of a role (the role goes with its last member).
struct RoleRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove members from a role; a role left empty is deleted (admin only).")
    @ParentCommand var parent: RoleCommand
    @Argument(help: "Role name.") var role: String
    @Argument(help: "Identities to remove.") var members: [String]

    func run() throws {
        let written = try parent.root.workspace().removeRoleMembers(role: role, members: members)
        let gone = written.state.policy.map { $0.roles[role] == nil } ?? false
        print("role \(role): removed \(members.joined(separator: ", "))\(gone ? " (the role is gone)" : "") in \(PolicyOutcome.describe(written))")
        let open = Workspace.openAgreements(naming: .role(role), in: written.state)
        if !open.isEmpty {
            print("note: \(open.joined(separator: ", ")) still route\(open.count == 1 ? "s" : "") to role:\(role); sigit status shows who can still fill \(open.count == 1 ? "it" : "them")")
        }
    }
}
