import Foundation
import Testing
import TrustedTime

/// Tokens for the evidence tests (log, certificates, export), on top of `Team+Timestamps`: the policy lists
/// authorities and bot may stamp any event, tokens come from the loopback TSA, and a `timestamp` event is written with
/// stock git.
extension Team {
    /// Lists `authorities` (name, PEM file) under `timestamping:` (alice's hand edit, in force at once) and grants
    /// `timestamp` to bot.
    func listAuthorities(_ authorities: [(name: String, pem: String)]) throws {
        try trustAuthorities(authorities)
        try sigit("alice", "grant", "timestamp", "bot").check()
    }

    /// A token from the loopback TSA `profile` over the SHA-256 of `commit`'s object.
    func loopbackToken(_ commit: String, by profile: TSAProfile) async throws -> Data {
        try await TSAFixture.shared.get().stamp(try commitObject(commit), by: profile).der
    }

    /// Adds `tokens` under `.sigit/timestamps/` (each named after the event of its commit) in one `timestamp` event
    /// written with stock git, signed by `who`; returns the new commit.
    @discardableResult
    func addTokens(_ tokens: [(commit: String, token: Data)], by who: String = "bot") throws -> String {
        var files: [String: Data] = [:]
        for (commit, token) in tokens { files[try tokenPath(commit)] = token }
        try commitTokens(files, by: who).check()
        return try tip()
    }

    /// The token file of `commit`'s event in the work tree (absolute path).
    func tokenFile(_ commit: String) throws -> String {
        sandbox.path("\(repo)/\(try tokenPath(commit))")
    }

    /// The genTime OpenSSL reads in the token file `path`, as RFC 3339 UTC to the second (GNU date parses it).
    func opensslGenTime(_ path: String) throws -> String {
        let script = "date -u -d \"$(openssl ts -reply -in \"$1\" -token_in -text 2>/dev/null | sed -n 's/^Time stamp: //p')\" +%Y-%m-%dT%H:%M:%SZ"
        return try sandbox.run("/bin/sh", ["-c", script, "sh", path], in: sandbox.root.path).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
