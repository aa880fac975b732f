import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity add NAME --email EMAIL --public-key PUBKEY`.
struct IdentityAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an identity (admin only).",
        discussion: "--public-key is the new identity's public key (a .pub file or a key line); the global --key is, as everywhere, the key this command signs with.")
    @ParentCommand var parent: IdentityCommand
    @Argument(help: "Identity name.") var name: String
    @Option(help: "Email address.") var email: String
    @Option(help: ArgumentHelp("The new identity's public key: a .pub file or a line like ssh-ed25519 AAAA...", valueName: "PUBKEY_FILE_OR_LINE")) var publicKey: String?
    @Option(help: "human, service or agent.") var kind: String = "human"
    @Option(help: "The human who answers for a service or agent identity.") var owner: String?
    @Option(help: "Display name (default: the identity name).") var displayName: String?

    func run() throws {
        guard let publicKey else {
            throw SigitError.badInput(parent.root.key == nil
                ? "identity add needs --public-key PUBKEY_FILE_OR_LINE, the new identity's public key"
                : "identity add takes the new identity's public key as --public-key PUBKEY_FILE_OR_LINE; --key is the key this command signs with; nothing was written")
        }
        guard let kind = IdentityKind(rawValue: kind) else { throw ValidationError("--kind must be human, service or agent") }
        let key = try PolicyEditor.publicKey(from: publicKey, option: "--public-key")
        let written = try parent.root.workspace().changePolicy(subject: "policy: add identity \(name)") { policy in
            try PolicyEditor.addIdentity(&policy, id: name, displayName: displayName ?? name, email: email, key: key, kind: kind, owner: owner)
        }
        print("added \(kind.rawValue) identity \(name) (\(key.fingerprint)) in \(PolicyOutcome.describe(written))")
    }
}
