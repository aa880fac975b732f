import ArgumentParser
import SigitCore

/// `sigit grant PERMISSION ENTRY...`.
struct GrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grant admin, draft, void, notify or timestamp to identities or role:<name> (admin only).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "admin, draft, void, notify or timestamp.") var permission: String
    @Argument(help: "Identities or role:<name>.") var entries: [String]

    func run() throws {
        let written = try root.workspace().changePolicy(subject: "policy: grant \(permission) to \(entries.joined(separator: " "))") { policy in
            try PolicyEditor.grant(&policy, permission: permission, entries: entries)
        }
        print("granted \(permission) to \(entries.joined(separator: ", ")) in \(PolicyOutcome.describe(written))")
    }
}
