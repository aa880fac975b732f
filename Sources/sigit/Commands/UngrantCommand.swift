import ArgumentParser
import SigitCore

/// `sigit ungrant PERMISSION ENTRY...`: the inverse of `sigit grant`.
struct UngrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ungrant", abstract: "Take admin, draft, void, notify or timestamp back from identities or role:<name> (admin only).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "admin, draft, void, notify or timestamp.") var permission: String
    @Argument(help: "Identities or role:<name>, as sigit policy show lists them under permissions.") var entries: [String]

    func run() throws {
        let written = try root.workspace().ungrant(permission: permission, entries: entries)
        print("ungranted \(permission) from \(entries.joined(separator: ", ")) in \(PolicyOutcome.describe(written))")
    }
}
