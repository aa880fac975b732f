import Foundation
@testable import SigitCore

/// The generator's own copy of a `.sigit/policy.yml` it writes: rendered to YAML, changed by policy operations.
struct PolicyDocument: Equatable {
    /// One key line of an identity.
    struct Key: Equatable {
        var openSSH: String
        var validBefore: Int64?
        var revoked = false
        /// Section 8: revoked as compromised since this time.
        var compromisedSince: Int64?
    }
    /// An identity's `invitation:` (spec section 9).
    struct Invite: Equatable {
        var agreement: String
        var step: String?
        var expires: Int64
        var secretSHA256: String
        /// The Ed25519 public key derived from the secret (`proof-key`, base64).
        var proofKey: Data
        var enrolled: Int64?
    }
    /// One time-stamping authority of the `timestamping:` section (section 8).
    struct Authority: Equatable {
        var name: String
        var pem: String
    }
    var serial = 1
    var threshold = 1
    var identities: [String: [Key]] = [:]
    var roles: [String: [String]] = ["legal": ["alice", "bob"]]
    var admins = ["alice"]
    var drafters = ["alice", "bot", "carol"]
    var voiders = ["alice"]
    var notifiers = ["bot"]
    /// Section 8: who holds `timestamp` (none in the first policy).
    var timestampers: [String] = []
    /// Section 8: the `timestamping:` section's authorities (name, PEM), none in the first policy, and its max-skew in minutes.
    var authorities: [Authority] = []
    var maxSkewMinutes: Int?
    /// Invitations by identity (only histories with invitations have any).
    var invitations: [String: Invite] = [:]

    /// The first policy: everyone but dave; bob has two keys.
    init(cast: ModelCast) {
        for name in ModelCast.names where name != "dave" {
            identities[name] = [Key(openSSH: cast.keys[name]?.publicKey.openSSH ?? "")]
        }
        identities["bob"]?.append(Key(openSSH: cast.keys["bob#2"]?.publicKey.openSSH ?? ""))
    }

    /// The YAML sigit reads (spec section 3).
    var yaml: String {
        var out = "serial: \(serial)\nthreshold: \(threshold)\nidentities:\n"
        for name in identities.keys.sorted() {
            out += "  \(name):\n    name: \(name.capitalized) Example\n    email: \(ModelCast.email(name))\n    kind: \(ModelCast.kind(name))\n"
            if ModelCast.kind(name) != "human" { out += "    owner: alice\n" }
            out += (identities[name] ?? []).isEmpty ? "    keys: []\n" : "    keys:\n"
            for key in identities[name] ?? [] {
                out += "      - key: \(key.openSSH)\n"
                if let before = key.validBefore {
                    out += "        valid-before: \(Self.rfc3339(before))\n"
                }
                if key.revoked { out += "        revoked: true\n" }
                if let since = key.compromisedSince { out += "        compromised-since: \(Self.rfc3339(since))\n" }
            }
            if let invite = invitations[name] {
                out += "    invitation:\n      agreement: \(invite.agreement)\n"
                if let step = invite.step { out += "      step: \(step)\n" }
                out += "      expires: \(Self.rfc3339(invite.expires))\n      secret-sha256: \(invite.secretSHA256)\n      proof-key: \(invite.proofKey.base64EncodedString())\n"
                if let enrolled = invite.enrolled { out += "      enrolled: \(Self.rfc3339(enrolled))\n" }
            }
        }
        out += "roles:\n"
        for role in roles.keys.sorted() { out += "  \(role): [\((roles[role] ?? []).joined(separator: ", "))]\n" }
        out += "permissions:\n"
        out += "  admin: [\(admins.joined(separator: ", "))]\n"
        out += "  draft: [\(drafters.joined(separator: ", "))]\n"
        out += "  void: [\(voiders.joined(separator: ", "))]\n"
        out += "  notify: [\(notifiers.joined(separator: ", "))]\n"
        if !timestampers.isEmpty { out += "  timestamp: [\(timestampers.joined(separator: ", "))]\n" }
        if !authorities.isEmpty {
            out += "timestamping:\n  authorities:\n"
            for authority in authorities {
                out += "    - name: \(authority.name)\n      certificate: |\n"
                for line in authority.pem.split(separator: "\n") { out += "        \(line)\n" }
            }
            if let minutes = maxSkewMinutes { out += "  max-skew: \(minutes)m\n" }
        }
        return out
    }

    var data: Data { Data(yaml.utf8) }

    /// `sha256:<hex>` of the file bytes (Sigit-Policy-Digest).
    var digest: String { "sha256:" + ContentDigest.sha256Hex(data) }

    /// The `allowed_signers` file sigit writes beside it (nil when the YAML does not parse: then none is written).
    var allowedSigners: String? { (try? Policy(yaml: data))?.allowedSigners() }

    static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
