import Foundation
import SSHSig

extension PolicyEditor {
    /// Which keys of an identity a retire or revoke names: `--fingerprint FP`, `--fingerprint all`, or nothing.
    public enum KeyChoice: Sendable, Equatable {
        /// Nothing named: retire takes every key still in use; revoke takes the identity's only key.
        case unspecified
        /// Every key of the identity that is still in use.
        case all
        /// One key, by its `SHA256:` fingerprint (the prefix may be left out).
        case fingerprint(String)

        /// Reads the option value (`all`, a fingerprint, or nil).
        public init(_ option: String?) {
            switch option {
            case nil: self = .unspecified
            case "all"?: self = .all
            case let value?: self = .fingerprint(value)
            }
        }
    }

    /// What a retire or revoke needs to know besides the policy: who signs, with which key, and when.
    public struct KeyChangeContext: Sendable {
        /// The acting admin.
        public let signer: String
        /// The key that signs the policy change.
        public let signingKey: SSHPublicKey
        /// The time the change is made (whole seconds).
        public let now: Date

        /// A context.
        public init(signer: String, signingKey: SSHPublicKey, now: Date) {
            self.signer = signer
            self.signingKey = signingKey
            self.now = now
        }
    }

    /// A date cut to whole seconds, as the policy file stores times.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: floor(date.timeIntervalSince1970))
    }

    /// Sets `valid-before` on keys of `id`: signatures made before `at` stay valid, later ones do not.
    ///
    /// Refuses a time in the past (it would claim that signatures already counted are invalid, which
    /// `valid-before` does not do; `revoke` does), a key that is revoked, compromised or already retired by
    /// then, the key that signs this change when the retirement takes effect at once, and a change that leaves
    /// fewer admins with a usable key than the threshold. Returns the fingerprints changed.
    @discardableResult
    public static func retire(_ policy: inout Policy, id: String, keys choice: KeyChoice, at: Date, context: KeyChangeContext) throws -> [String] {
        let at = wholeSeconds(at)
        guard at >= context.now else {
            throw SigitError.badInput("--at \(RFC3339.format(at)) lies in the past; a retirement cannot reach back (signatures already made stay valid); omit --at to retire now, or revoke a compromised key")
        }
        var identity = try existing(policy, id)
        let indices = try select(policy, identity, choice, verb: "retire", live: { !$0.isCompromised && ($0.validBefore.map { $0 > at } ?? true) })
        for index in indices {
            let entry = identity.keys[index]
            let fp = entry.key.fingerprint
            guard !entry.revoked else { throw SigitError.badInput("key \(fp) of \(id) is revoked; nothing to retire") }
            if let since = entry.compromisedSince {
                throw SigitError.badInput("key \(fp) of \(id) is compromised since \(RFC3339.format(since)); nothing to retire")
            }
            if let before = entry.validBefore, before <= at {
                throw SigitError.badInput("key \(fp) of \(id) is already retired (valid before \(RFC3339.format(before)))")
            }
            if let after = entry.validAfter, after >= at {
                throw SigitError.badInput("key \(fp) of \(id) only becomes valid at \(RFC3339.format(after)); retire it at a later time")
            }
            if entry.key.blob == context.signingKey.blob, at <= context.now {
                throw SigitError.notAllowed("key \(fp) signs this change and would retire itself at once; sign with another admin's key (--key PATH), or schedule it with --at")
            }
            identity.keys[index].validBefore = at
        }
        try replace(&policy, identity, from: at, now: context.now)
        return indices.map { identity.keys[$0].key.fingerprint }
    }

    /// Sets `revoked: true` on keys of `id`: no signature by them counts, and `allowed_signers` drops them.
    ///
    /// Refuses a key already revoked or compromised, the key that signs this change (a key cannot vouch for its own
    /// revocation, which invalidates every signature it made, this one included), and a change that leaves
    /// fewer admins with a usable key than the threshold. Returns the fingerprints changed.
    @discardableResult
    public static func revoke(_ policy: inout Policy, id: String, keys choice: KeyChoice, context: KeyChangeContext) throws -> [String] {
        var identity = try existing(policy, id)
        let indices = try select(policy, identity, choice, verb: "revoke", live: { !$0.isCompromised })
        for index in indices {
            try checkRevocable(identity.keys[index], of: id, context: context)
            identity.keys[index].revoked = true
        }
        try replace(&policy, identity, from: context.now, now: context.now)
        return indices.map { identity.keys[$0].key.fingerprint }
    }

    /// Sets `compromised-since: since` on keys of `id` (spec section 8): the key signs nothing new, and of its earlier
    /// events only those with a counted time-stamp token whose `genTime` is before `since` keep counting; the others are
    /// dropped, with a warning each. `allowed_signers` keeps the key with `valid-before` = `since`.
    ///
    /// Refuses a time in the future (a compromise is known, not scheduled; retire a key that is merely to stop), and
    /// what `revoke` refuses: a key already revoked or compromised, the key that signs this change, and a change that
    /// leaves fewer admins with a usable key than the threshold. Returns the fingerprints changed.
    @discardableResult
    public static func compromise(_ policy: inout Policy, id: String, keys choice: KeyChoice, since: Date, context: KeyChangeContext) throws -> [String] {
        let since = wholeSeconds(since)
        guard since <= context.now else {
            throw SigitError.badInput("--compromised-since \(RFC3339.format(since)) lies in the future; a compromise is a time already past (retire a key that is only to stop signing later)")
        }
        var identity = try existing(policy, id)
        let indices = try select(policy, identity, choice, verb: "revoke", live: { !$0.isCompromised })
        for index in indices {
            try checkRevocable(identity.keys[index], of: id, context: context)
            identity.keys[index].compromisedSince = since
        }
        try replace(&policy, identity, from: context.now, now: context.now)
        return indices.map { identity.keys[$0].key.fingerprint }
    }

    /// Refuses to revoke (or mark compromised) a key already revoked or compromised, or the key that signs the change.
    private static func checkRevocable(_ entry: PolicyKey, of id: String, context: KeyChangeContext) throws {
        let fp = entry.key.fingerprint
        guard !entry.revoked else { throw SigitError.badInput("key \(fp) of \(id) is already revoked") }
        if let since = entry.compromisedSince {
            throw SigitError.badInput("key \(fp) of \(id) is already compromised since \(RFC3339.format(since))")
        }
        if entry.key.blob == context.signingKey.blob {
            throw SigitError.notAllowed("key \(fp) signs this change and cannot revoke itself (a revocation voids every signature of the key, this one too); have another admin run it, or sign with another key (--key PATH)")
        }
    }

    /// Reads a public key given on the command line: a `.pub` file, or a key line (`ssh-ed25519 AAAA... comment`,
    /// also in git's `key::` form).
    public static func publicKey(from text: String, option: String) throws -> SSHPublicKey {
        var line = text.hasPrefix("key::") ? String(text.dropFirst(5)) : text
        if FileManager.default.fileExists(atPath: text) {
            guard let data = FileManager.default.contents(atPath: text) else { throw SigitError.badInput("cannot read \(option) \(Name.quoted(text))") }
            let content = String(decoding: data, as: UTF8.self)
            if content.contains("PRIVATE KEY-----") {
                throw SigitError.badInput("\(option) \(Name.quoted(text)) is a private key file; give the public half (\(text).pub), which is all the policy holds")
            }
            line = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        do {
            return try SSHPublicKey(openSSH: line)
        } catch {
            throw SigitError.badInput("\(option) is not an OpenSSH public key file or line: \(error)")
        }
    }

    /// Adds `key` to the identity `id` (a second key: another laptop, a security key).
    ///
    /// Refuses a key any identity already lists (revoked and retired keys included: one key, one identity, for good).
    public static func addKey(_ policy: inout Policy, id: String, key: SSHPublicKey) throws {
        var identity = try existing(policy, id)
        if let (other, _) = policy.owner(of: key) {
            let whose = other.id == id ? "\(id) already lists" : "\(other.id) already lists"
            throw SigitError.badInput("\(whose) key \(key.fingerprint); one key, one identity (a retired or revoked key is not reused)")
        }
        identity.keys.append(PolicyKey(key: key))
        policy.identities[id] = identity
    }

    /// Rotates a key of `id`: adds `key`, valid at once, and retires the old key at `at`, so the old key's
    /// signatures made before `at` keep counting and later ones do not.
    ///
    /// `old` names the key to retire; left out, the identity must have exactly one key still in use. The same
    /// refusals as `addKey` and `retire` apply (a key that signs this change does not retire itself at once).
    /// Returns the fingerprint retired.
    @discardableResult
    public static func rotate(_ policy: inout Policy, id: String, to key: SSHPublicKey, retiring old: KeyChoice, at: Date, context: KeyChangeContext) throws -> String {
        let identity = try existing(policy, id)
        let choice: KeyChoice
        switch old {
        case .all:
            throw SigitError.badInput("rotate retires one key; name it with --fingerprint SHA256:... (sigit identity list shows the keys)")
        case .fingerprint:
            choice = old
        case .unspecified:
            let at = wholeSeconds(at)
            let live = identity.keys.filter { !$0.isCompromised && ($0.validBefore.map { $0 > at } ?? true) }
            guard live.count == 1 else {
                throw SigitError.badInput(live.isEmpty
                    ? "\(id) has no key in use to rotate; add one with sigit identity key add \(id) --public-key PUBKEY"
                    : "\(id) has \(live.count) keys in use; name the one to retire with --fingerprint SHA256:... (sigit identity list shows them)")
            }
            choice = .fingerprint(live[0].key.fingerprint)
        }
        var changed = policy
        try addKey(&changed, id: id, key: key)
        let retired = try retire(&changed, id: id, keys: choice, at: at, context: context)
        policy = changed
        return retired.first ?? ""
    }

    /// Sets the number of admins needed to ratify a policy change.
    public static func setThreshold(_ policy: inout Policy, _ threshold: Int, now: Date) throws {
        let admins = policy.holders(of: .admin)
        guard threshold >= 1 else { throw SigitError.badInput("the threshold must be at least 1 (got \(threshold))") }
        guard threshold <= admins.count else {
            throw SigitError.badInput("threshold \(threshold) is more than the \(Plural.count(admins.count, "admin")) (\(admins.joined(separator: ", "))); grant admin to more identities first")
        }
        let usable = usableAdmins(policy, from: now)
        guard threshold <= usable.count else {
            throw SigitError.badInput("threshold \(threshold) is more than the \(Plural.count(usable.count, "admin")) with a usable key (\(usable.joined(separator: ", "))); no policy change could be ratified")
        }
        guard threshold != policy.threshold else { throw SigitError.badInput("the threshold is already \(threshold); nothing to change") }
        policy.threshold = threshold
    }

    /// Admins holding at least one key that is not revoked or compromised and not retired at or before `time`.
    public static func usableAdmins(_ policy: Policy, from time: Date) -> [String] {
        policy.holders(of: .admin).filter { id in
            policy.identities[id]?.keys.contains { !$0.isCompromised && ($0.validBefore.map { $0 > time } ?? true) } ?? false
        }
    }

    /// The identity `id`, or a clear error.
    private static func existing(_ policy: Policy, _ id: String) throws -> Identity {
        try Name.check(id, "identity name")
        guard let identity = policy.identities[id] else {
            throw SigitError.badInput("unknown identity \(id); sigit identity list shows the identities in force")
        }
        return identity
    }

    /// Indices of the keys `choice` names; `live` says which keys `all` (and retire's default) take.
    private static func select(_ policy: Policy, _ identity: Identity, _ choice: KeyChoice, verb: String, live: (PolicyKey) -> Bool) throws -> [Int] {
        let id = identity.id
        switch choice {
        case .fingerprint(let text):
            let wanted = text.hasPrefix("SHA256:") ? text : "SHA256:" + text
            guard let index = identity.keys.firstIndex(where: { $0.key.fingerprint == wanted }) else {
                if let other = policy.identities.values.first(where: { $0.keys.contains { $0.key.fingerprint == wanted } }) {
                    throw SigitError.badInput("key \(wanted) belongs to \(other.id), not \(id)")
                }
                throw SigitError.badInput("\(id) has no key \(Name.quoted(text)); sigit identity list shows its keys")
            }
            return [index]
        case .all:
            break
        case .unspecified:
            if verb == "revoke", identity.keys.count > 1 {
                throw SigitError.badInput("\(id) has \(identity.keys.count) keys; name the one to revoke with --fingerprint SHA256:... (or --fingerprint all)")
            }
            if identity.keys.count == 1 { return [0] }
        }
        let indices = identity.keys.indices.filter { live(identity.keys[$0]) }
        guard !indices.isEmpty else {
            throw SigitError.badInput(identity.keys.isEmpty ? "\(id) has no keys" : "every key of \(id) is already \(verb == "revoke" ? "revoked or compromised" : "revoked or retired, or compromised"); nothing to \(verb)")
        }
        return indices
    }

    /// Puts the changed identity back, refusing when fewer admins than the threshold keep a usable key.
    private static func replace(_ policy: inout Policy, _ identity: Identity, from time: Date, now: Date) throws {
        let before = usableAdmins(policy, from: time)
        var changed = policy
        changed.identities[identity.id] = identity
        let after = usableAdmins(changed, from: time)
        if after.count < before.count, after.count < policy.threshold {
            let left = after.isEmpty ? "no admin would keep a usable key" : "only \(after.joined(separator: ", ")) would keep a usable admin key"
            throw SigitError.notAllowed("\(left), fewer than the threshold of \(policy.threshold), and no policy change could be ratified again; grant admin to another identity (or lower the threshold) first")
        }
        policy = changed
    }
}
