import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy approve [--digest sha256:...]`: signs for a pending policy change (admins only).
struct PolicyApprove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve the pending policy change as one more admin (a policy-approve event; the tree is unchanged).")
    @ParentCommand var parent: PolicyCommand
    @Option(help: ArgumentHelp("The pending change's digest, as sigit policy show prints it; needed when several are pending.", valueName: "sha256:HEX"))
    var digest: String?

    func run() throws {
        let written = try parent.root.workspace().approvePolicy(digest: digest)
        print("approved policy change in \(PolicyOutcome.describe(written))")
    }
}
