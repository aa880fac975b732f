import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy show|approve|withdraw|threshold|timestamping|sync-signers`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Read the policy, approve or withdraw pending changes, set the threshold and the time-stamping authorities, rewrite allowed_signers.",
                                                    subcommands: [PolicyShow.self, PolicyApprove.self, PolicyWithdraw.self, PolicyThreshold.self, PolicyTimestamping.self, PolicySyncSigners.self])
    @ParentCommand var root: SigitCommand
}
