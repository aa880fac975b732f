import ArgumentParser
import Foundation
import SigitCore

/// `sigit identity key list NAME [--json]`: an identity's keys with their windows, in the policy in force.
struct IdentityKeyList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List an identity's keys: fingerprint, type, window, revoked or compromised since.")
    @ParentCommand var parent: IdentityKeyCommand
    @Argument(help: "Identity name.", completion: .identities) var name: String
    @Flag(help: "Print JSON.") var json = false

    /// One key of the identity.
    struct Row: Codable {
        let fingerprint: String; let type: String; let key: String; let validAfter: String?; let validBefore: String?; let revoked: Bool
        let compromisedSince: String?
        enum CodingKeys: String, CodingKey {
            case fingerprint, type, key, revoked
            case validAfter = "valid-after"; case validBefore = "valid-before"; case compromisedSince = "compromised-since"
        }
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
                validBefore: $0.validBefore.map(RFC3339.format), revoked: $0.revoked, compromisedSince: $0.compromisedSince.map(RFC3339.format))
        }
        if json { return try Output.json(Listing(identity: name, keys: rows)) }
        for entry in identity.keys {
            print("\(IdentityList.KeyRow(entry).text)\t\(entry.key.algorithm)")
        }
    }
}
