import ArgumentParser
import SigitCore

/// `sigit role add|remove ROLE MEMBER...`.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "role", abstract: "Manage roles.", subcommands: [RoleAdd.self, RoleRemove.self])
    @ParentCommand var root: SigitCommand
}
