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

/// `sigit identity key list NAME [--json]`: an identity's keys with their windows, in the policy in force.
struct IdentityKeyList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List an identity's keys: fingerprint, type, window, revoked.")
    @ParentCommand var parent: IdentityKeyCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Flag(help: "Print JSON.") var json = false

    /// One key of the identity.
    struct Row: Codable {
        let fingerprint: String; let type: String; let key: String; let validAfter: String?; let validBefore: String?; let revoked: Bool
        enum CodingKeys: String, CodingKey { case fingerprint, type, key, revoked; case validAfter = "valid-after"; case validBefore = "valid-before" }
    }

    /// The JSON of `sigit identity key list`.
    struct Listing: Codable {
        let identity: String
        let keys: [Row]
    }

    func run() throws {
        try Name.check(name, "identity name")
        let (_, result) = try parent.parent.root.workspace().state()
        guard let identity = result.state.policy?.identities[name] else {
            throw SigitError.badInput("unknown identity \(name); sigit identity list shows the identities in force")
        }
        let rows = identity.keys.map {
            Row(fingerprint: $0.key.fingerprint, type: $0.key.algorithm, key: $0.key.openSSH, validAfter: $0.validAfter.map(RFC3339.format),
                validBefore: $0.validBefore.map(RFC3339.format), revoked: $0.revoked)
        }
        if json { return try Output.json(Listing(identity: name, keys: rows)) }
        for row in rows {
            let text = IdentityList.KeyRow(fingerprint: row.fingerprint, validAfter: row.validAfter, validBefore: row.validBefore, revoked: row.revoked).text
            print("\(text)\t\(row.type)")
        }
    }
}

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
