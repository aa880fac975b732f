import Foundation
import Testing
import TrustedTime

/// Time-stamp tokens in a team's history, made without `sigit timestamp` (spec section 8): the policy lists
/// authorities by a hand edit, a real TSA (the loopback `TSAFixture`, or `openssl ts -reply` itself) signs the
/// SHA-256 of each commit object, and a `timestamp` event is written with stock git.
extension Team {
    /// Lists `authorities` (name, PEM file) under `timestamping:` in the policy (alice's hand edit, in force at once)
    /// and grants `timestamp` to bot.
    func listAuthorities(_ authorities: [(name: String, pemFile: String)]) throws {
        var section = "timestamping:\n  authorities:\n"
        for authority in authorities {
            let pem = try String(contentsOfFile: authority.pemFile, encoding: .utf8)
            section += "  - name: \(authority.name)\n    certificate: |\n"
                + pem.split(separator: "\n").map { "      \($0)\n" }.joined()
        }
        try editPolicy { text in (text.hasSuffix("\n") ? text : text + "\n") + section }.check()
        try sigit("alice", "grant", "timestamp", "bot").check()
    }

    /// The bytes of `commit` exactly as `git cat-file commit` prints them (what a token's imprint hashes).
    func commitObject(_ commit: String) throws -> Data {
        let file = sandbox.path("object-\(UUID().uuidString)")
        try sandbox.run("/bin/sh", ["-c", "git cat-file commit \"$1\" > \"$2\"", "sh", commit, file], in: sandbox.path(repo)).check()
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    /// The event identity of `commit` (spec section 2) in hex, computed with stock tools: `sha256sum` of the commit
    /// object without its `gpgsig` header (the header line and its continuation lines).
    func eventHex(_ commit: String) throws -> String {
        let script = "git cat-file commit \"$1\" | awk 'h == 0 && /^$/ { h = 1 } h == 0 && /^gpgsig / { s = 1; next } h == 0 && s == 1 && /^ / { next } { s = 0; print }' | sha256sum | cut -d' ' -f1"
        return try sandbox.run("/bin/sh", ["-c", script, "sh", commit], in: sandbox.path(repo)).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A token from the loopback TSA `profile` over the SHA-256 of `commit`'s object.
    func loopbackToken(_ commit: String, by profile: TSAProfile) async throws -> Data {
        try await TSAFixture.shared.get().stamp(try commitObject(commit), by: profile).der
    }

    /// Adds `tokens` under `.sigit/timestamps/` (each named after the event of its commit) in one `timestamp` event
    /// written with stock git, signed by `who`; returns the new commit.
    @discardableResult
    func addTokens(_ tokens: [(commit: String, token: Data)], by who: String = "bot") throws -> String {
        let folder = sandbox.path("\(repo)/.sigit/timestamps")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (commit, token) in tokens {
            try token.write(to: URL(fileURLWithPath: "\(folder)/\(try eventHex(commit)).tsr"))
        }
        try git("add", ".sigit/timestamps").check()
        let message = "timestamp \(tokens.count) events\n\nSigit-Version: 1\nSigit-Action: timestamp\nSigit-Identity: \(who)"
        try routingCommit(who, message: message, allowEmpty: false).check()
        return try tip()
    }

    /// The genTime OpenSSL reads in the token file `path`, as RFC 3339 UTC to the second (GNU date parses it).
    func opensslGenTime(_ path: String) throws -> String {
        let script = "date -u -d \"$(openssl ts -reply -in \"$1\" -token_in -text 2>/dev/null | sed -n 's/^Time stamp: //p')\" +%Y-%m-%dT%H:%M:%SZ"
        return try sandbox.run("/bin/sh", ["-c", script, "sh", path], in: sandbox.root.path).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The path of the token of `commit` in the work tree.
    func tokenPath(_ commit: String) throws -> String {
        sandbox.path("\(repo)/.sigit/timestamps/\(try eventHex(commit)).tsr")
    }
}
