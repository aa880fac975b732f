import Foundation
import SSHSig
import TrustedTime
import Yams

extension Policy {
    /// Repository path of the policy file.
    public static let path = ".sigit/policy.yml"

    /// Parses and validates policy bytes; every problem is a `SchemaError` with a line.
    public init(yaml data: Data, file: String = Policy.path) throws {
        let doc = try YAMLDocument(data, file: file)
        var serial: Int?
        var threshold = 1
        var identities: [String: Identity] = [:]
        var roles: [String: [String]] = [:]
        var permissions: [Permission: [String]] = [:]
        var keyOwners: [Data: String] = [:]
        var timestamping: Timestamping?
        var places: [String: Node] = [:]  // where each name and entry was written, for errors with a line
        for (key, keyNode, value) in try doc.mapping(doc.root, allowed: ["serial", "threshold", "identities", "roles", "permissions", "timestamping"], what: "the policy") {
            switch key {
            case "serial":
                serial = try doc.int(value, what: "serial")
            case "threshold":
                threshold = try doc.int(value, what: "threshold")
                guard threshold >= 1 else { throw doc.error(value, "threshold must be at least 1") }
            case "identities":
                for (name, nameNode, body) in try doc.mapping(value, allowed: nil, what: "identities") {
                    guard Name.isValid(name) else { throw doc.error(nameNode, "invalid identity name \(Name.quoted(name))") }
                    let identity = try Self.identity(name, body, doc)
                    for entry in identity.keys {
                        if let other = keyOwners[entry.key.blob] {
                            throw doc.error(body, "key \(entry.key.fingerprint) is listed under both \(other) and \(name)")
                        }
                        keyOwners[entry.key.blob] = name
                    }
                    identities[name] = identity
                    places["identity:" + name] = nameNode
                }
            case "roles":
                for (role, roleNode, body) in try doc.mapping(value, allowed: nil, what: "roles") {
                    guard Name.isValid(role) else { throw doc.error(roleNode, "invalid role name \(Name.quoted(role))") }
                    roles[role] = try doc.sequence(body, what: "role \(role)").map { node in
                        let member = try doc.name(node, what: "member of role \(role)")
                        places["role:\(role):\(member)"] = node
                        return member
                    }
                }
            case "permissions":
                for (name, nameNode, body) in try doc.mapping(value, allowed: Set(Permission.allCases.map(\.rawValue)), what: "permissions") {
                    guard let permission = Permission(rawValue: name) else { throw doc.error(nameNode, "unknown permission") }
                    permissions[permission] = try doc.sequence(body, what: "permission \(name)").map { node in
                        let entry = try doc.string(node, what: "entry of permission \(name)")
                        places["permission:\(name):\(entry)"] = node
                        return entry
                    }
                }
            case "timestamping":
                timestamping = try Self.timestamping(value, doc)
            default:
                throw doc.error(keyNode, "unknown key")
            }
        }
        guard let serial else { throw doc.error(doc.root, "the policy has no serial") }
        guard serial >= 1 else { throw doc.error(doc.root, "serial must be at least 1") }
        self.init(serial: serial, threshold: threshold, identities: identities, roles: roles, permissions: permissions, timestamping: timestamping)
        try validateReferences(doc, places: places)
    }

    private static func identity(_ id: String, _ node: Node, _ doc: YAMLDocument) throws -> Identity {
        var name: String?
        var email: String?
        var kind = IdentityKind.human
        var owner: String?
        var keys: [PolicyKey] = []
        var invitation: Invitation?
        for (key, _, value) in try doc.mapping(node, allowed: ["name", "email", "kind", "owner", "keys", "invitation"], what: "identity \(id)") {
            switch key {
            case "name": name = try doc.string(value, what: "name of \(id)")
            case "email": email = try doc.string(value, what: "email of \(id)")
            case "kind":
                let text = try doc.string(value, what: "kind of \(id)")
                guard let parsed = IdentityKind(rawValue: text) else { throw doc.error(value, "kind of \(id) must be human, service or agent") }
                kind = parsed
            case "owner": owner = try doc.name(value, what: "owner of \(id)")
            case "keys": keys = try doc.sequence(value, what: "keys of \(id)").map { try policyKey($0, id, doc) }
            case "invitation": invitation = try Self.invitation(value, id, doc)
            default: break
            }
        }
        let display = name ?? id
        let mail = email ?? "\(id)@sigit.invalid"
        for (field, text) in [("name", display), ("email", mail)] where text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "<" || $0 == ">" }) {
            throw doc.error(node, "\(field) of \(id) contains a control character or angle bracket")
        }
        guard EmailAddress.isValid(mail) else {
            throw doc.error(node, "email of \(id) must be an address like name@example.com")
        }
        if invitation != nil, kind != .human {
            throw doc.error(node, "only a human identity can be invited; \(id) is \(kind.rawValue)")
        }
        return Identity(id: id, name: display, email: mail, kind: kind, owner: owner, keys: keys, invitation: invitation)
    }

    /// The `invitation:` of an identity (spec section 9): agreement, optional step, expiry, the secret's SHA-256,
    /// and when it was used.
    private static func invitation(_ node: Node, _ id: String, _ doc: YAMLDocument) throws -> Invitation {
        var agreement: String?
        var step: String?
        var expires: Date?
        var secret: String?
        var proofKey: Data?
        var enrolled: Date?
        for (key, _, value) in try doc.mapping(node, allowed: ["agreement", "step", "expires", "secret-sha256", "proof-key", "enrolled"], what: "invitation of \(id)") {
            switch key {
            case "agreement": agreement = try doc.name(value, what: "agreement of the invitation of \(id)")
            case "step": step = try doc.name(value, what: "step of the invitation of \(id)")
            case "expires": expires = try date(value, doc, "expires of the invitation of \(id)")
            case "secret-sha256":
                let text = try doc.string(value, what: "secret-sha256 of the invitation of \(id)")
                guard text.utf8.count == 64, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                    throw doc.error(value, "secret-sha256 of the invitation of \(id) must be 64 lowercase hex digits")
                }
                secret = text
            case "proof-key":
                let text = try doc.string(value, what: "proof-key of the invitation of \(id)")
                guard let raw = Data(base64Encoded: text), raw.count == 32 else {
                    throw doc.error(value, "proof-key of the invitation of \(id) must be a 32-byte Ed25519 public key in base64")
                }
                proofKey = raw
            case "enrolled": enrolled = try date(value, doc, "enrolled of the invitation of \(id)")
            default: break
            }
        }
        guard let agreement, let expires, let secret, let proofKey else {
            throw doc.error(node, "the invitation of \(id) needs agreement, expires, secret-sha256 and proof-key")
        }
        return Invitation(agreement: agreement, step: step, expires: expires, secretSHA256: secret, proofKey: proofKey, enrolled: enrolled)
    }

    /// The `timestamping:` section (spec section 8): `authorities` (name, PEM certificate, optional url), `max-skew`,
    /// `approvals`.
    private static func timestamping(_ node: Node, _ doc: YAMLDocument) throws -> Timestamping {
        var section = Timestamping(authorities: [])
        for (key, _, value) in try doc.mapping(node, allowed: ["authorities", "max-skew", "approvals"], what: "timestamping") {
            switch key {
            case "authorities":
                for item in try doc.sequence(value, what: "timestamping authorities") {
                    var name: String?
                    var certificate: Data?
                    var url: String?
                    for (field, _, body) in try doc.mapping(item, allowed: ["name", "certificate", "url"], what: "a time-stamping authority") {
                        switch field {
                        case "name": name = try doc.name(body, what: "name of a time-stamping authority")
                        case "certificate":
                            let text = try doc.string(body, what: "certificate of a time-stamping authority")
                            do { certificate = try CertificateDER.fromPEM(text) } catch {
                                throw doc.error(body, "certificate of a time-stamping authority is not one PEM X.509 certificate")
                            }
                        case "url":
                            let text = try doc.string(body, what: "url of a time-stamping authority")
                            guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
                                  !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
                                throw doc.error(body, "url of a time-stamping authority must be an http or https address")
                            }
                            url = text
                        default: break
                        }
                    }
                    guard let name, let certificate else { throw doc.error(item, "a time-stamping authority needs a name and a certificate") }
                    guard !section.authorities.contains(where: { $0.name == name }) else { throw doc.error(item, "time-stamping authority \(name) is listed twice") }
                    section.authorities.append(TimestampAuthority(name: name, certificate: certificate, url: url))
                }
            case "max-skew":
                let text = try doc.string(value, what: "max-skew")
                guard let duration = WorkflowDuration(text) else { throw doc.error(value, "max-skew must be a duration like 10m, 2h or 1d") }
                section.maxSkew = TimeInterval(duration.seconds)
            case "approvals": section.approvals = try doc.bool(value, what: "approvals")
            default: break
            }
        }
        return section
    }

    private static func policyKey(_ node: Node, _ id: String, _ doc: YAMLDocument) throws -> PolicyKey {
        var key: SSHPublicKey?
        var entry = PolicyKey(key: try placeholderKey())
        for (name, _, value) in try doc.mapping(node, allowed: ["key", "valid-after", "valid-before", "revoked", "compromised-since"], what: "a key of \(id)") {
            switch name {
            case "key":
                let text = try doc.string(value, what: "key of \(id)")
                do { key = try SSHPublicKey(openSSH: text) } catch { throw doc.error(value, "key of \(id) is not an OpenSSH public key: \(error)") }
            case "valid-after": entry.validAfter = try date(value, doc, "valid-after of a key of \(id)")
            case "valid-before": entry.validBefore = try date(value, doc, "valid-before of a key of \(id)")
            case "revoked": entry.revoked = try doc.bool(value, what: "revoked")
            case "compromised-since": entry.compromisedSince = try date(value, doc, "compromised-since of a key of \(id)")
            default: break
            }
        }
        guard let key else { throw doc.error(node, "a key of \(id) has no key line") }
        entry.key = key
        return entry
    }

    private static func placeholderKey() throws -> SSHPublicKey {
        try SSHPublicKey(openSSH: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    }

    private static func date(_ node: Node, _ doc: YAMLDocument, _ what: String) throws -> Date {
        let text = try doc.string(node, what: what)
        guard let date = RFC3339.parse(text) else { throw doc.error(node, "\(what) must be an RFC 3339 time like 2026-01-01T00:00:00Z") }
        return date
    }

    private func validateReferences(_ doc: YAMLDocument, places: [String: Node]) throws {
        func at(_ place: String) -> Node { places[place] ?? doc.root }
        for identity in identities.values.sorted(by: { $0.id < $1.id }) {
            let node = at("identity:" + identity.id)
            if identity.kind.isHuman {
                if identity.owner != nil { throw doc.error(node, "identity \(identity.id) is human and cannot have an owner") }
            } else {
                guard let owner = identity.owner else {
                    throw doc.error(node, "\(identity.kind.rawValue) identity \(identity.id) needs a human owner")
                }
                guard identities[owner]?.kind == .human else {
                    throw doc.error(node, "owner \(owner) of \(identity.id) must be a human identity of the policy")
                }
            }
        }
        for (role, members) in roles.sorted(by: { $0.key < $1.key }) {
            for member in members where identities[member] == nil {
                throw doc.error(at("role:\(role):\(member)"), "role \(role) names unknown identity \(member)")
            }
        }
        for (permission, entries) in permissions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for entry in entries {
                let node = at("permission:\(permission.rawValue):\(entry)")
                if entry.hasPrefix("role:") {
                    let role = String(entry.dropFirst(5))
                    guard roles[role] != nil else { throw doc.error(node, "permission \(permission.rawValue) names unknown role \(role)") }
                } else if identities[entry] == nil {
                    throw doc.error(node, "permission \(permission.rawValue) names unknown identity \(Name.quoted(entry))")
                }
            }
        }
        let admins = holders(of: .admin)
        guard !admins.isEmpty else { throw doc.error(doc.root, "the policy has no admin") }
        if let machine = admins.first(where: { identities[$0]?.kind.isHuman == false }) {
            throw doc.error(at("identity:" + machine), "\(machine) is a \(identities[machine]?.kind.rawValue ?? "") identity and cannot be an admin; only humans change the policy")
        }
        guard threshold <= admins.count else {
            throw doc.error(doc.root, "threshold \(threshold) is more than the \(admins.count) admins")
        }
    }

    /// The policy as YAML, in a stable order, every value quoted by the YAML emitter.
    public func yaml() throws -> Data {
        func scalar(_ s: String) -> Node { Node(s) }
        var ids: [(Node, Node)] = []
        for identity in identities.values.sorted(by: { $0.id < $1.id }) {
            var pairs: [(Node, Node)] = [(scalar("name"), scalar(identity.name)), (scalar("email"), scalar(identity.email)), (scalar("kind"), scalar(identity.kind.rawValue))]
            if let owner = identity.owner { pairs.append((scalar("owner"), scalar(owner))) }
            let keys: [Node] = identity.keys.map { key in
                var k: [(Node, Node)] = [(scalar("key"), scalar(key.key.openSSH))]
                if let d = key.validAfter { k.append((scalar("valid-after"), scalar(RFC3339.format(d)))) }
                if let d = key.validBefore { k.append((scalar("valid-before"), scalar(RFC3339.format(d)))) }
                if key.revoked { k.append((scalar("revoked"), scalar("true"))) }
                if let d = key.compromisedSince { k.append((scalar("compromised-since"), scalar(RFC3339.format(d)))) }
                return Node(k)
            }
            pairs.append((scalar("keys"), Node(keys)))
            if let invitation = identity.invitation {
                var i: [(Node, Node)] = [(scalar("agreement"), scalar(invitation.agreement))]
                if let step = invitation.step { i.append((scalar("step"), scalar(step))) }
                i.append((scalar("expires"), scalar(RFC3339.format(invitation.expires))))
                i.append((scalar("secret-sha256"), scalar(invitation.secretSHA256)))
                i.append((scalar("proof-key"), scalar(invitation.proofKey.base64EncodedString())))
                if let enrolled = invitation.enrolled { i.append((scalar("enrolled"), scalar(RFC3339.format(enrolled)))) }
                pairs.append((scalar("invitation"), Node(i)))
            }
            ids.append((scalar(identity.id), Node(pairs)))
        }
        let roleNodes: [(Node, Node)] = roles.keys.sorted().map { (scalar($0), Node((roles[$0] ?? []).map(scalar))) }
        let permNodes: [(Node, Node)] = Permission.allCases.compactMap { p in
            permissions[p].map { (scalar(p.rawValue), Node($0.map(scalar))) }
        }
        var top: [(Node, Node)] = [
            (scalar("serial"), Node(String(serial), Tag(.int))),
            (scalar("threshold"), Node(String(threshold), Tag(.int))),
            (scalar("identities"), Node(ids)),
            (scalar("roles"), Node(roleNodes)),
            (scalar("permissions"), Node(permNodes)),
        ]
        if let timestamping {
            let authorities: [Node] = timestamping.authorities.map { authority in
                var a: [(Node, Node)] = [(scalar("name"), scalar(authority.name))]
                if let url = authority.url { a.append((scalar("url"), scalar(url))) }
                a.append((scalar("certificate"), Node(authority.pem, Tag(.str), .literal)))
                return Node(a)
            }
            var t: [(Node, Node)] = [(scalar("authorities"), Node(authorities))]
            if timestamping.maxSkew != Timestamping.defaultMaxSkew { t.append((scalar("max-skew"), scalar("\(Int(timestamping.maxSkew) / 60)m"))) }
            if timestamping.approvals { t.append((scalar("approvals"), scalar("true"))) }
            top.append((scalar("timestamping"), Node(t)))
        }
        let root = Node(top)
        let text = try Yams.serialize(node: root, sortKeys: false)
        let data = Data(("# sigit policy: identities, keys, roles and permissions. Change it with sigit (identity, role, grant).\n" + text).utf8)
        // Never write a policy that `init(yaml:)` would refuse to read back.
        guard data.count <= YAMLDocument.maximumBytes else {
            throw SchemaError(file: Policy.path, line: nil, reason: "the policy would be larger than \(YAMLDocument.maximumBytes) bytes; remove identities, keys or roles first")
        }
        return data
    }

    /// The OpenSSH `allowed_signers` text for this policy (spec section 1), one line per key not revoked.
    public func allowedSigners() -> String {
        var lines = ["# generated by sigit from .sigit/policy.yml (serial \(serial)); informational, the policy is authoritative"]
        for identity in identities.values.sorted(by: { $0.id < $1.id }) {
            for key in identity.keys where !key.revoked {
                var options = "namespaces=\"git\""
                if let d = key.validAfter { options += ",valid-after=\"\(RFC3339.compact(d))\"" }
                // A compromised key's signatures are good for git only before the compromise (the policy also asks
                // for a token from before it).
                if let d = [key.validBefore, key.compromisedSince].compactMap({ $0 }).min() { options += ",valid-before=\"\(RFC3339.compact(d))\"" }
                lines.append("\(identity.email) \(options) \(key.key.openSSH)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
