import Foundation
import Testing

/// A ready sigit repository `repo` in a sandbox: admin alice (legal), humans bob and carol, service account bot
/// (owner alice, draft permission), and an NDA `nda-1` drafted by bot and sent (legal-review: role:legal require 1;
/// signatures: bob, carol, require all).
struct Team {
    let sandbox: Sandbox
    let repo = "repo"

    /// Builds the team; `send` false leaves the NDA a draft, `nda` false makes no agreement; `clock` sets the clock
    /// of every tool the team runs (`setClock`).
    init(nda: Bool = true, send: Bool = true, at clock: Date? = nil) throws {
        sandbox = try Sandbox()
        sandbox.clock = clock
        for who in ["alice", "bob", "carol", "bot", "mallory"] { try sandbox.key(who) }
        try sandbox.run("/usr/bin/env", ["git", "init", "-q", "repo"], in: sandbox.root.path).check()
        try sandbox.git(repo, "config", "user.name", "Alice Example").check()
        try sandbox.git(repo, "config", "user.email", "alice@example.com").check()
        try sigit("alice", "init", "--name", "alice").check()
        try sigit("alice", "identity", "add", "bob", "--email", "bob@example.com", "--public-key", sandbox.path("keys/bob.pub")).check()
        try sigit("alice", "identity", "add", "carol", "--email", "carol@example.com", "--public-key", sandbox.path("keys/carol.pub")).check()
        try sigit("alice", "identity", "add", "bot", "--email", "bot@example.com", "--public-key", sandbox.path("keys/bot.pub"), "--kind", "service", "--owner", "alice").check()
        try sigit("alice", "role", "add", "legal", "alice").check()
        try sigit("alice", "grant", "draft", "bot").check()
        if nda {
            try sigit("bot", "new", "nda", "nda-1", "--set", "counterparty=Acme", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
            if send { try sigit("bot", "send", "nda-1").check() }
        }
    }

    /// Runs sigit in the team repository as `who`.
    @discardableResult
    func sigit(_ who: String?, _ arguments: String...) throws -> RunResult {
        try sandbox.sigit(repo, as: who, arguments)
    }

    /// Runs sigit in the team repository as `who`, with the arguments as an array.
    @discardableResult
    func sigit(_ who: String?, _ arguments: [String]) throws -> RunResult {
        try sandbox.sigit(repo, as: who, arguments)
    }

    /// Runs git in the team repository.
    @discardableResult
    func git(_ arguments: String..., extra: [String: String] = [:]) throws -> RunResult {
        try sandbox.run("/usr/bin/env", ["git"] + arguments, in: sandbox.path(repo), extra: extra)
    }

    /// Makes a commit with stock git signed by `keys/<who>` (nil: unsigned), as `name <email>`, with `message`.
    @discardableResult
    func gitCommit(signedBy who: String?, message: String, allowEmpty: Bool = true, name: String = "Someone", email: String = "someone@example.com") throws -> RunResult {
        var args = ["-c", "user.name=\(name)", "-c", "user.email=\(email)", "-c", "gpg.format=ssh"]
        if let who { args += ["-c", "user.signingkey=\(sandbox.path("keys/\(who)"))"] }
        args += ["commit", "-q", "-m", message]
        if allowEmpty { args.append("--allow-empty") }
        args.append(who == nil ? "--no-gpg-sign" : "-S")
        return try sandbox.run("/usr/bin/env", ["git"] + args, in: sandbox.path(repo))
    }

    /// `sigit verify --json`: the rules named by violations (and warnings).
    func verify() throws -> (status: Int32, violations: [String], warnings: [String], messages: [String]) {
        let result = try sigit(nil, "verify", "--json")
        let object = try result.json()
        let violations = (object["violations"] as? [[String: Any]]) ?? []
        let warnings = (object["warnings"] as? [[String: Any]]) ?? []
        return (result.status, violations.compactMap { $0["rule"] as? String }, warnings.compactMap { $0["rule"] as? String },
                violations.compactMap { $0["message"] as? String })
    }

    /// The current digest of an agreement from `sigit status ID --json`.
    func digest(_ id: String) throws -> String {
        try sigit(nil, "status", id, "--json").json()["digest"] as? String ?? ""
    }

    /// Trailer block for a hand-made event.
    func trailers(_ action: String, identity: String, agreement: String = "nda-1", digest: String? = nil, step: String? = nil) -> String {
        var lines = ["Sigit-Version: 1", "Sigit-Action: \(action)", "Sigit-Agreement: \(agreement)", "Sigit-Identity: \(identity)"]
        if let digest { lines.append("Sigit-Digest: \(digest)") }
        if let step { lines.append("Sigit-Step: \(step)") }
        return lines.joined(separator: "\n")
    }
}
