import ArgumentParser
import Foundation
import SigitCore
import SSHSig

/// `sigit identity list`.
struct IdentityList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List identities in the policy in force.")
    @ParentCommand var parent: IdentityCommand
    @Flag(help: "Print JSON.") var json = false

    /// One key with its window, revocation and compromise time.
    struct KeyRow: Codable {
        let fingerprint: String; let validAfter: String?; let validBefore: String?; let revoked: Bool; let compromisedSince: String?
        enum CodingKeys: String, CodingKey {
            case fingerprint, revoked
            case validAfter = "valid-after"; case validBefore = "valid-before"; case compromisedSince = "compromised-since"
        }

        /// The row of a policy key.
        init(_ entry: PolicyKey) {
            fingerprint = entry.key.fingerprint
            validAfter = entry.validAfter.map(RFC3339.format)
            validBefore = entry.validBefore.map(RFC3339.format)
            revoked = entry.revoked
            compromisedSince = entry.compromisedSince.map(RFC3339.format)
        }

        /// The fingerprint with what limits it, for the text view.
        var text: String {
            if revoked { return fingerprint + " (revoked)" }
            let window = [validAfter.map { "valid after \($0)" }, validBefore.map { "valid before \($0)" }, compromisedSince.map { "compromised since \($0)" }]
                .compactMap { $0 }
            return window.isEmpty ? fingerprint : fingerprint + " (" + window.joined(separator: ", ") + ")"
        }
    }

    /// An invitation (spec section 9): what it is for, until when, and whether a passkey was enrolled with it.
    struct InvitationRow: Codable {
        let agreement: String; let step: String?; let expires: String; let enrolled: String?

        /// The invitation for the text view.
        var text: String {
            let scope = agreement + (step.map { " step \($0)" } ?? "")
            return enrolled.map { "invited for \(scope), enrolled \($0)" } ?? "invited for \(scope), link expires \(expires)"
        }
    }

    struct Row: Codable {
        let name: String; let displayName: String; let email: String; let kind: String; let owner: String?; let keys: [String]; let keyDetails: [KeyRow]
        let invitation: InvitationRow?
        enum CodingKeys: String, CodingKey { case name, displayName, email, kind, owner, keys, invitation; case keyDetails = "key-details" }
    }

    func run() throws {
        let (_, result) = try parent.root.workspace().state()
        let policy = result.state.policy
        let rows = (policy?.identities.values.sorted { $0.id < $1.id } ?? []).map {
            Row(name: $0.id, displayName: $0.name, email: $0.email, kind: $0.kind.rawValue, owner: $0.owner, keys: $0.keys.map(\.key.fingerprint),
                keyDetails: $0.keys.map(KeyRow.init),
                invitation: $0.invitation.map { InvitationRow(agreement: $0.agreement, step: $0.step, expires: RFC3339.format($0.expires), enrolled: $0.enrolled.map(RFC3339.format)) })
        }
        if json { return try Output.json(["identities": rows]) }
        for row in rows {
            print("\(row.name)\t\(row.kind)\t\(Output.safe(row.displayName)) <\(Output.safe(row.email))>\t\(row.keyDetails.map(\.text).joined(separator: ","))\(row.owner.map { "\towner \($0)" } ?? "")\(row.invitation.map { "\t" + $0.text } ?? "")")
        }
    }
}
