import ArgumentParser
import SigitCore

/// `sigit policy sync-signers`: writes `.sigit/allowed_signers` as the policy in force gives it (admins only).
struct PolicySyncSigners: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync-signers", abstract: "Write .sigit/allowed_signers again from the policy in force, after a hand edit (admin only).")
    @ParentCommand var parent: PolicyCommand

    func run() throws {
        let written = try parent.root.workspace().syncAllowedSigners()
        print("wrote .sigit/allowed_signers for serial \(written.state.policy?.serial ?? 0) in \(Output.short(written.commit.hex))")
    }
}
