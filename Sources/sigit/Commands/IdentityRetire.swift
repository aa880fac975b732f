import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity retire NAME [--fingerprint FP|all] [--at TIME]`: a key's signatures count only before a time.
struct IdentityRetire: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire",
        abstract: "Retire an identity's keys (admin only): signatures made before --at (default now) stay valid, later ones do not.",
        discussion: "Sets valid-before on the keys and regenerates .sigit/allowed_signers. Without --fingerprint every key still in use is retired. Sign with the usual key (--key PATH is the signing key here).")
    @ParentCommand var parent: IdentityCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Option(help: ArgumentHelp("The key to retire (SHA256:..., as sigit identity list prints it), or all.", valueName: "FINGERPRINT|all")) var fingerprint: String?
    @Option(help: ArgumentHelp("When the keys stop signing, RFC 3339 (default now; not in the past).", valueName: "TIME")) var at: String?
    @Option(help: "Why (recorded in the commit body).") var reason: String?

    func run() throws {
        try IdentityRevoke.refuseFingerprintAsKey(parent.root.key, verb: "retire")
        var when: Date?
        if let at {
            guard let parsed = RFC3339.parse(at) else { throw SigitError.badInput("--at must be an RFC 3339 time like 2026-01-01T00:00:00Z (got \(Name.quoted(at)))") }
            when = parsed
        }
        var retired: [String] = []
        var until = Date()
        let written = try parent.root.workspace().changePolicy(subject: "policy: retire keys of \(name)", body: reason ?? "") { policy, context in
            until = PolicyEditor.wholeSeconds(when ?? context.now)
            retired = try PolicyEditor.retire(&policy, id: name, keys: .init(fingerprint), at: until, context: context)
        }
        print("retired \(name)'s key\(retired.count == 1 ? "" : "s") \(retired.joined(separator: ", ")) (valid before \(RFC3339.format(until))) in \(PolicyOutcome.describe(written))")
    }
}
