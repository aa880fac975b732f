import ArgumentParser
import Foundation
import SigitCore

/// `sigit identity key rotate NAME --public-key NEW [--fingerprint OLD] [--at TIME]`.
struct IdentityKeyRotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace an identity's key: the new key signs at once, the old one is retired at --at (default now).",
        discussion: "Signatures the old key made before --at keep counting; later ones do not. A key does not retire itself at once: to rotate the key you sign with, give --at a time ahead, or sign with another admin's key.")
    @ParentCommand var parent: IdentityKeyCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Option(help: ArgumentHelp("The new key: a .pub file or a line like ssh-ed25519 AAAA...", valueName: "PUBKEY_FILE_OR_LINE")) var publicKey: String?
    @Option(help: ArgumentHelp("The key to retire (SHA256:..., as sigit identity list prints it); needed when the identity has several keys in use.", valueName: "FINGERPRINT")) var fingerprint: String?
    @Option(help: ArgumentHelp("When the old key stops signing, RFC 3339 (default now; not in the past).", valueName: "TIME")) var at: String?
    @Option(help: "Why (recorded in the commit body).") var reason: String?

    func run() throws {
        let root = parent.parent.root
        try IdentityRevoke.refuseFingerprintAsKey(root.key, verb: "rotate")
        let key = try PolicyEditor.publicKey(from: try IdentityKeyCommand.required(publicKey, root.key, verb: "key rotate"), option: "--public-key")
        var when: Date?
        if let at {
            guard let parsed = RFC3339.parse(at) else { throw SigitError.badInput("--at must be an RFC 3339 time like 2026-01-01T00:00:00Z (got \(Name.quoted(at)))") }
            when = parsed
        }
        var retired = ""
        var until = Date()
        let written = try root.workspace().changePolicy(subject: "policy: rotate a key of \(name)", body: reason ?? "") { policy, context in
            until = PolicyEditor.wholeSeconds(when ?? context.now)
            retired = try PolicyEditor.rotate(&policy, id: name, to: key, retiring: .init(fingerprint), at: until, context: context)
        }
        print("rotated \(name)'s key \(retired) to \(key.fingerprint) (old key valid before \(RFC3339.format(until))) in \(PolicyOutcome.describe(written))")
    }
}
