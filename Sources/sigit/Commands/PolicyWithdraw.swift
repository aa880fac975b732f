import ArgumentParser
import SigitCore

/// `sigit policy withdraw [--digest sha256:...] [--all]`: drops the pending policy change (admins only).
struct PolicyWithdraw: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Withdraw the pending policy change: a signed policy event that writes the policy in force back (admin only).")
    @ParentCommand var parent: PolicyCommand
    @Option(help: ArgumentHelp("The pending change you mean, as sigit policy show prints it; refused unless it is pending.", valueName: "sha256:HEX"))
    var digest: String?
    @Flag(help: "Withdraw every pending change (needed when several are pending: a withdrawal writes the policy in force back, which withdraws them all).")
    var all = false

    func run() throws {
        let (written, withdrawn) = try parent.root.workspace().withdrawPolicy(digest: digest, all: all)
        let serial = written.state.policy?.serial ?? 0
        print("withdrew policy change \(withdrawn.map(\.digest).joined(separator: ", ")) in \(Output.short(written.commit.hex)); serial \(serial) stays in force")
    }
}
