import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity add|list|retire|revoke|key`.
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "identity", abstract: "Manage identities and their keys.",
                                                    subcommands: [IdentityAdd.self, IdentityList.self, IdentityRetire.self, IdentityRevoke.self, IdentityKeyCommand.self])
    @ParentCommand var root: SigitCommand
}
