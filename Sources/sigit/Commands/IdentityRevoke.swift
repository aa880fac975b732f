import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity revoke NAME [--fingerprint FP|all]`: a compromised key; no signature by it counts.
struct IdentityRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an identity's key (admin only): compromised, no signature by it counts, earlier ones included.",
        discussion: "Sets revoked: true and drops the key from .sigit/allowed_signers. An identity with several keys needs --fingerprint. Sign with another key than the one revoked (--key PATH is the signing key here).")
    @ParentCommand var parent: IdentityCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Option(help: ArgumentHelp("The key to revoke (SHA256:..., as sigit identity list prints it), or all.", valueName: "FINGERPRINT|all")) var fingerprint: String?
    @Option(help: "Why (recorded in the commit body).") var reason: String?

    func run() throws {
        try Self.refuseFingerprintAsKey(parent.root.key, verb: "revoke")
        var revoked: [String] = []
        let written = try parent.root.workspace().changePolicy(subject: "policy: revoke keys of \(name)", body: reason ?? "") { policy, context in
            revoked = try PolicyEditor.revoke(&policy, id: name, keys: .init(fingerprint), context: context)
        }
        print("revoked \(name)'s key\(revoked.count == 1 ? "" : "s") \(revoked.joined(separator: ", ")) in \(PolicyOutcome.describe(written))")
    }

    /// The root `--key` (the signing key) also catches `--key` after the verb: say so when it holds a fingerprint.
    static func refuseFingerprintAsKey(_ key: String?, verb: String) throws {
        guard let key, key == "all" || key.hasPrefix("SHA256:") else { return }
        throw SigitError.badInput("--key is the signing key; name the key to \(verb) with --fingerprint \(key)")
    }
}
