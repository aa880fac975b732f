import Crypto
import Foundation
import Testing
import TestSupport
import TrustedTime

/// Trusted time in a team repository (spec section 8), made by hand with stock git and a real loopback TSA, so the
/// verifier's rules are tested independently of `sigit timestamp`.
extension Team {
    /// Makes the policy list `certificates` (PEM files) as time-stamping authorities, through a hand-made policy
    /// change signed by admin alice (`editPolicy`: serial + 1; `allowed_signers` unchanged, the keys do not change).
    func trustAuthorities(_ certificates: [(name: String, pem: String)], maxSkew: String? = nil) throws {
        var section = "timestamping:\n  authorities:\n"
        for (name, pem) in certificates {
            let body = try String(contentsOfFile: pem, encoding: .utf8).split(separator: "\n").map { "        " + $0 }.joined(separator: "\n")
            section += "    - name: \(name)\n      certificate: |\n\(body)\n"
        }
        if let maxSkew { section += "  max-skew: \(maxSkew)\n" }
        try editPolicy { text in (text.hasSuffix("\n") ? text : text + "\n") + section }.check()
    }

    /// The bytes of commit `rev` as `git cat-file commit` prints them (a token's imprint hashes them).
    func commitObject(_ rev: String) throws -> Data {
        let result = try git("cat-file", "commit", rev)
        try result.check()
        return Data(result.stdout.utf8)
    }

    /// The event identity of commit `rev` in hex: SHA-256 of its object without the `gpgsig` header.
    func eventHex(_ rev: String) throws -> String {
        var lines: [Substring] = []
        var inSignature = false
        var inHeader = true
        let text = String(decoding: try commitObject(rev), as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if inHeader {
                if line.isEmpty { inHeader = false }
                else if line.hasPrefix("gpgsig ") { inSignature = true; continue }
                else if inSignature, line.hasPrefix(" ") { continue }
                else { inSignature = false }
            }
            lines.append(line)
        }
        return SHA256.hash(data: Data(lines.joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The full commit id of `rev`.
    func commitID(_ rev: String) throws -> String {
        try git("rev-parse", rev).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `tokens` (path → DER) and commits them as a timestamp event signed by `who`.
    @discardableResult
    func commitTokens(_ tokens: [String: Data], by who: String, action: String = "timestamp") throws -> RunResult {
        for (path, der) in tokens {
            let full = sandbox.path(repo) + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try der.write(to: URL(fileURLWithPath: full))
            try git("add", path).check()
        }
        return try routingCommit(who, message: "timestamp \(tokens.count) events\n\nSigit-Version: 1\nSigit-Action: \(action)\nSigit-Identity: \(who)")
    }

    /// Sets the clock every tool of the team runs with from now on (sigit, git, ssh-keygen): `date`, or the real
    /// time for nil (libfaketime, `FakeClock`).
    func setClock(_ date: Date?) throws {
        sandbox.clock = date
    }

    /// Stamps commit `rev` with a token the TSA makes at `at` (its clock), in a timestamp event signed by `who`.
    func stamp(_ rev: String, tsa: TSAFixture, at: Date? = nil, by who: String = "bot", profile: TSAProfile = .rsa) async throws {
        let id = try commitID(rev)
        let token = try await tsa.stamp(try commitObject(id), by: profile, at: at).der
        try commitTokens([try tokenPath(id): token], by: who).check()
    }

    /// The token path of commit `rev`'s event.
    func tokenPath(_ rev: String) throws -> String { ".sigit/timestamps/\(try eventHex(rev)).tsr" }
}

/// A failed expectation of the test's own making.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
