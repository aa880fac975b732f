import ArgumentParser
import Foundation
import SigitCore

/// `sigit identity key add NAME --public-key PUBKEY`: a further key of an identity.
struct IdentityKeyAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a key to an identity (another device); the keys it holds keep working.")
    @ParentCommand var parent: IdentityKeyCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Option(help: ArgumentHelp("The key to add: a .pub file or a line like ssh-ed25519 AAAA...", valueName: "PUBKEY_FILE_OR_LINE")) var publicKey: String?

    func run() throws {
        let root = parent.parent.root
        let key = try PolicyEditor.publicKey(from: try IdentityKeyCommand.required(publicKey, root.key, verb: "key add"), option: "--public-key")
        let written = try root.workspace().changePolicy(subject: "policy: add a key of \(name)") { policy in
            try PolicyEditor.addKey(&policy, id: name, key: key)
        }
        print("added key \(key.fingerprint) to \(name) in \(PolicyOutcome.describe(written))")
    }
}
