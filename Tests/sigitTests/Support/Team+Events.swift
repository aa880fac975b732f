import Foundation
import Testing

/// Who signs hand-made commits in these tests: identity → (name, email) as the policy knows them.
let routingPeople: [String: (name: String, email: String)] = [
    "alice": ("Alice Example", "alice@example.com"),
    "bob": ("Bob", "bob@example.com"),
    "carol": ("Carol", "carol@example.com"),
    "bot": ("Bot", "bot@example.com"),
]

extension Team {
    /// A commit with stock git, signed by `who`'s ssh key, authored and committed as `who`, with optional environment.
    @discardableResult
    func routingCommit(_ who: String, message: String, allowEmpty: Bool = true, all: Bool = false, extra: [String: String] = [:]) throws -> RunResult {
        let person = routingPeople[who] ?? (who, "\(who)@example.com")
        var args = ["-c", "user.name=\(person.name)", "-c", "user.email=\(person.email)", "-c", "gpg.format=ssh",
                    "-c", "user.signingkey=\(sandbox.path("keys/\(who)"))", "commit", "-q", "-m", message]
        if allowEmpty { args.append("--allow-empty") }
        if all { args.append("-a") }
        args.append("-S")
        return try sandbox.run("/usr/bin/env", ["git"] + args, in: sandbox.path(repo), extra: extra)
    }

    /// A hand-made approve (or other step action) of `agreement` at `step`, signed by `who`.
    @discardableResult
    func handApprove(_ who: String, step: String, agreement: String = "nda-1", digest: String? = nil, action: String = "approve", extra: [String: String] = [:]) throws -> RunResult {
        let digest = try digest ?? self.digest(agreement)
        let message = "\(action) \(agreement) (step \(step))\n\n" + trailers(action, identity: who, agreement: agreement, digest: digest, step: step)
        return try routingCommit(who, message: message, extra: extra)
    }

    /// A hand-made send of `agreement` signed by `who`.
    @discardableResult
    func handSend(_ who: String, agreement: String = "nda-1") throws -> RunResult {
        let message = "send \(agreement)\n\n" + trailers("send", identity: who, agreement: agreement, digest: try digest(agreement))
        return try routingCommit(who, message: message)
    }

    /// Rewrites a file of the work tree (relative to the repository).
    func edit(_ relative: String, _ transform: (String) -> String) throws {
        let url = sandbox.root.appendingPathComponent(repo).appendingPathComponent(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        try transform(text).write(to: url, atomically: true, encoding: .utf8)
    }

    /// `sigit status ID --json`.
    func status(_ id: String = "nda-1") throws -> [String: Any] {
        try sigit(nil, "status", id, "--json").json()
    }

    /// Slot states of one step of `sigit status ID --json`.
    func slotStates(_ stepIndex: Int, _ id: String = "nda-1") throws -> [String] {
        let steps = try status(id)["steps"] as? [[String: Any]] ?? []
        guard steps.indices.contains(stepIndex) else { return [] }
        return ((steps[stepIndex]["slots"] as? [[String: Any]]) ?? []).compactMap { $0["state"] as? String }
    }

    /// The agreement ids in `sigit inbox --json` for `who`.
    func inbox(_ who: String) throws -> [String] {
        let object = try sigit(who, "inbox", "--json").check().json()
        return ((object["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    /// Expects verify to fail with exit 1 naming `rule`.
    func expectViolation(_ rule: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try verify()
        #expect(result.status == 1, "verify exit \(result.status)", sourceLocation: sourceLocation)
        #expect(result.violations.contains(rule), "violations: \(result.violations) \(result.messages)", sourceLocation: sourceLocation)
    }

    /// Expects verify to pass without violations (and without `rule`).
    func expectClean(not rule: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try verify()
        #expect(result.status == 0, "verify exit \(result.status): \(result.violations) \(result.messages)", sourceLocation: sourceLocation)
        #expect(!result.violations.contains(rule), sourceLocation: sourceLocation)
        #expect(result.violations.isEmpty, "violations: \(result.violations) \(result.messages)", sourceLocation: sourceLocation)
    }

    /// Adds a human identity `name` (key `keys/<name>`) as alice.
    func addHuman(_ name: String) throws {
        try sandbox.key(name)
        try sigit("alice", "identity", "add", name, "--email", "\(name)@example.com", "--public-key", sandbox.path("keys/\(name).pub")).check()
    }

    /// Edits `.sigit/policy.yml` in the work tree with `transform`, adds 1 to its serial and commits it with stock git
    /// signed by `who`; `extra` sets e.g. GIT_COMMITTER_DATE.
    @discardableResult
    func editPolicy(signedBy who: String = "alice", extra: [String: String] = [:], _ transform: (String) -> String) throws -> RunResult {
        let path = sandbox.path("\(repo)/.sigit/policy.yml")
        var lines = transform(try String(contentsOfFile: path, encoding: .utf8)).components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.hasPrefix("serial: ") }), let serial = Int(lines[index].dropFirst("serial: ".count)) else {
            throw SandboxError(message: "policy has no serial")
        }
        lines[index] = "serial: \(serial + 1)"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try git("add", ".sigit/policy.yml").check()
        return try routingCommit(who, message: "policy: hand edit", allowEmpty: false, extra: extra)
    }

    /// Policy text with `line` inserted under the key entry of `identity` (e.g. `revoked: true`).
    static func keyAttribute(_ text: String, identity: String, _ line: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "  \(identity):"),
              let key = lines[start...].firstIndex(where: { $0.hasPrefix("    - key: ") }) else { return text }
        lines.insert("      " + line, at: key + 1)
        return lines.joined(separator: "\n")
    }

    /// Policy text with a role `name` holding `members` added.
    static func addingRole(_ text: String, _ name: String, _ members: [String]) -> String {
        text.replacingOccurrences(of: "\nroles:\n", with: "\nroles:\n  \(name):\n" + members.map { "  - \($0)\n" }.joined())
    }

    /// `sigit policy show --json` serial.
    func policySerial() throws -> Int {
        (try sigit(nil, "policy", "show", "--json").check().json()["serial"] as? Int) ?? -1
    }

    /// The current branch tip.
    func tip() throws -> String {
        try git("rev-parse", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
