import ArgumentParser
import Foundation
import SigitCore
import SSHSig

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
