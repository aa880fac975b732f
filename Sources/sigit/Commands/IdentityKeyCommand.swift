import ArgumentParser
import Foundation
import SigitCore

/// `sigit identity key add|rotate|list`: an identity's keys, each change a signed policy change.
struct IdentityKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "List, add or rotate an identity's keys (changes: admin only).",
        discussion: "Each change is a signed policy change that regenerates .sigit/allowed_signers. Retire or revoke a key with sigit identity retire|revoke.",
        subcommands: [IdentityKeyList.self, IdentityKeyAdd.self, IdentityKeyRotate.self])
    @ParentCommand var parent: IdentityCommand
}

extension IdentityKeyCommand {
    /// The `--public-key` value, or an error naming it (and saying that `--key` is the signing key).
    static func required(_ publicKey: String?, _ key: String?, verb: String) throws -> String {
        guard let publicKey else {
            throw SigitError.badInput(key == nil
                ? "identity \(verb) needs --public-key PUBKEY_FILE_OR_LINE, the key to add"
                : "identity \(verb) takes the key to add as --public-key PUBKEY_FILE_OR_LINE; --key is the key this command signs with; nothing was written")
        }
        return publicKey
    }
}
