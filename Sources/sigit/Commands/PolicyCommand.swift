import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy show|approve|withdraw|threshold|sync-signers`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Read the policy, approve or withdraw pending changes, set the threshold, rewrite allowed_signers.",
                                                    subcommands: [PolicyShow.self, PolicyApprove.self, PolicyWithdraw.self, PolicyThreshold.self, PolicySyncSigners.self])
    @ParentCommand var root: SigitCommand
}
