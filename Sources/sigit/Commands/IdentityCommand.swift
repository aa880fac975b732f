import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity add|list`.
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "identity", abstract: "Manage identities and their keys.", subcommands: [IdentityAdd.self, IdentityList.self])
    @ParentCommand var root: SigitCommand
}

/// `sigit identity add NAME --email EMAIL --key PUBKEY`.
struct IdentityAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an identity (admin only). Here --key is the new identity's public key; sign with --signing-key.")
    @ParentCommand var parent: IdentityCommand
    @Argument(help: "Identity name.") var name: String
    @Option(help: "Email address.") var email: String
    @Option(help: "human, service or agent.") var kind: String = "human"
    @Option(help: "The human who answers for a service or agent identity.") var owner: String?
    @Option(help: "Display name (default: the identity name).") var displayName: String?
    @Option(help: ArgumentHelp("The key this command signs with.", valueName: "PATH")) var signingKey: String?

    func run() throws {
        guard let keyText = parent.root.key else { throw ValidationError("identity add needs --key PUBKEY_FILE_OR_LINE") }
        guard let kind = IdentityKind(rawValue: kind) else { throw ValidationError("--kind must be human, service or agent") }
        let line: String
        if FileManager.default.fileExists(atPath: keyText), let data = FileManager.default.contents(atPath: keyText) {
            line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        } else {
            line = keyText
        }
        let key: SSHPublicKey
        do { key = try SSHPublicKey(openSSH: line) } catch { throw SigitError.badInput("--key is not an OpenSSH public key file or line: \(error)") }
        let workspace = try Workspace(path: parent.root.directory ?? FileManager.default.currentDirectoryPath, keyOption: signingKey)
        let written = try workspace.changePolicy(subject: "policy: add identity \(name)") { policy in
            try PolicyEditor.addIdentity(&policy, id: name, displayName: displayName ?? name, email: email, key: key, kind: kind, owner: owner)
        }
        print("added \(kind.rawValue) identity \(name) (\(key.fingerprint)) in \(Output.short(written.commit.hex))")
    }
}

/// `sigit identity list`.
struct IdentityList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List identities in the policy in force.")
    @ParentCommand var parent: IdentityCommand
    @Flag(help: "Print JSON.") var json = false

    struct Row: Codable { let name: String; let displayName: String; let email: String; let kind: String; let owner: String?; let keys: [String] }

    func run() throws {
        let (_, result) = try parent.root.workspace().state()
        let policy = result.state.policy
        let rows = (policy?.identities.values.sorted { $0.id < $1.id } ?? []).map {
            Row(name: $0.id, displayName: $0.name, email: $0.email, kind: $0.kind.rawValue, owner: $0.owner, keys: $0.keys.map(\.key.fingerprint))
        }
        if json { return try Output.json(["identities": rows]) }
        for row in rows {
            print("\(row.name)\t\(row.kind)\t\(Output.safe(row.displayName)) <\(Output.safe(row.email))>\t\(row.keys.joined(separator: ","))\(row.owner.map { "\towner \($0)" } ?? "")")
        }
    }
}
