import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity revoke NAME [--fingerprint FP|all] [--compromised-since TIME]`: a compromised key; no signature by it
/// counts, or (with a compromise time) only those a time-stamp token dates before it.
struct IdentityRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an identity's key (admin only): compromised, no signature by it counts, earlier ones included.",
        discussion: """
        Sets revoked: true and drops the key from .sigit/allowed_signers. With --compromised-since TIME it sets compromised-since: TIME instead: the key signs nothing new; of its events, those with a counted time-stamp token (RFC 3161, from an authority the policy lists) whose time is before TIME keep counting, the others are dropped with a warning each; .sigit/allowed_signers keeps the key with valid-before TIME. TIME may not lie in the future. An identity with several keys needs --fingerprint. Sign with another key than the one revoked (--key PATH is the signing key here).
        """)
    @ParentCommand var parent: IdentityCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Option(help: ArgumentHelp("The key to revoke (SHA256:..., as sigit identity list prints it), or all.", valueName: "FINGERPRINT|all")) var fingerprint: String?
    @Option(help: ArgumentHelp("When the key was compromised, RFC 3339 (not in the future): events time-stamped before it keep counting.", valueName: "TIME"))
    var compromisedSince: String?
    @Option(help: "Why (recorded in the commit body).") var reason: String?

    func run() throws {
        try Self.refuseFingerprintAsKey(parent.root.key, verb: "revoke")
        var since: Date?
        if let compromisedSince {
            guard let parsed = RFC3339.parse(compromisedSince) else {
                throw SigitError.badInput("--compromised-since must be an RFC 3339 time like 2026-01-01T00:00:00Z (got \(Name.quoted(compromisedSince)))")
            }
            since = PolicyEditor.wholeSeconds(parsed)
        }
        var revoked: [String] = []
        var authorities = 0
        let written = try parent.root.workspace().changePolicy(subject: "policy: revoke keys of \(name)", body: reason ?? "") { policy, context in
            if let since {
                revoked = try PolicyEditor.compromise(&policy, id: name, keys: .init(fingerprint), since: since, context: context)
            } else {
                revoked = try PolicyEditor.revoke(&policy, id: name, keys: .init(fingerprint), context: context)
            }
            authorities = policy.timestamping?.authorities.count ?? 0
        }
        let keys = "\(name)'s key\(revoked.count == 1 ? "" : "s") \(revoked.joined(separator: ", "))"
        guard let since else { return print("revoked \(keys) in \(PolicyOutcome.describe(written))") }
        print("revoked \(keys) as compromised since \(RFC3339.format(since)) in \(PolicyOutcome.describe(written))")
        if authorities == 0 {
            print("note: the policy lists no time-stamping authority, so no event of the key can keep counting (add one with sigit policy timestamping add)")
        }
    }

    /// The root `--key` (the signing key) also catches `--key` after the verb: say so when it holds a fingerprint.
    static func refuseFingerprintAsKey(_ key: String?, verb: String) throws {
        guard let key, key == "all" || key.hasPrefix("SHA256:") else { return }
        throw SigitError.badInput("--key is the signing key; name the key to \(verb) with --fingerprint \(key)")
    }
}
