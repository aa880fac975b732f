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

/// `sigit identity list`.
struct IdentityList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List identities in the policy in force.")
    @ParentCommand var parent: IdentityCommand
    @Flag(help: "Print JSON.") var json = false

    /// One key with its window and revocation.
    struct KeyRow: Codable {
        let fingerprint: String; let validAfter: String?; let validBefore: String?; let revoked: Bool
        enum CodingKeys: String, CodingKey { case fingerprint, revoked; case validAfter = "valid-after"; case validBefore = "valid-before" }

        /// The fingerprint with what limits it, for the text view.
        var text: String {
            if revoked { return fingerprint + " (revoked)" }
            let window = [validAfter.map { "valid after \($0)" }, validBefore.map { "valid before \($0)" }].compactMap { $0 }
            return window.isEmpty ? fingerprint : fingerprint + " (" + window.joined(separator: ", ") + ")"
        }
    }

    struct Row: Codable {
        let name: String; let displayName: String; let email: String; let kind: String; let owner: String?; let keys: [String]; let keyDetails: [KeyRow]
        enum CodingKeys: String, CodingKey { case name, displayName, email, kind, owner, keys; case keyDetails = "key-details" }
    }

    func run() throws {
        let (_, result) = try parent.root.workspace().state()
        let policy = result.state.policy
        let rows = (policy?.identities.values.sorted { $0.id < $1.id } ?? []).map {
            Row(name: $0.id, displayName: $0.name, email: $0.email, kind: $0.kind.rawValue, owner: $0.owner, keys: $0.keys.map(\.key.fingerprint),
                keyDetails: $0.keys.map { KeyRow(fingerprint: $0.key.fingerprint, validAfter: $0.validAfter.map(RFC3339.format), validBefore: $0.validBefore.map(RFC3339.format), revoked: $0.revoked) })
        }
        if json { return try Output.json(["identities": rows]) }
        for row in rows {
            print("\(row.name)\t\(row.kind)\t\(Output.safe(row.displayName)) <\(Output.safe(row.email))>\t\(row.keyDetails.map(\.text).joined(separator: ","))\(row.owner.map { "\towner \($0)" } ?? "")")
        }
    }
}

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
