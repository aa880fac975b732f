import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy threshold N`: how many admins must sign a policy change (a policy change itself).
struct PolicyThreshold: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "threshold", abstract: "Set how many admins must sign a policy change, 1 to the number of admins (admin only).")
    @ParentCommand var parent: PolicyCommand
    @Argument(help: "Admins needed to ratify a policy change.") var count: Int

    func run() throws {
        let written = try parent.root.workspace().changePolicy(subject: "policy: threshold \(count)") { policy, context in
            try PolicyEditor.setThreshold(&policy, count, now: context.now)
        }
        print("threshold set to \(count) in \(PolicyOutcome.describe(written))")
    }
}
