import Foundation
import Testing

/// Bad input gets one clear line on stderr, exit 2, and changes nothing: same HEAD, clean working tree.
@Suite("bad input changes nothing")
struct BadInputTests {
    static let cases: [(who: String, arguments: [String], says: String)] = [
        ("alice", ["init", "--name", "alice"], "already has a sigit trust root"),
        ("alice", ["identity", "add", "Bad Name", "--email", "x@example.com", "--public-key", "KEY"], "invalid identity name"),
        ("alice", ["identity", "add", "dave", "--email", "not-an-email", "--public-key", "KEY"], "invalid email"),
        ("alice", ["identity", "add", "dave", "--email", "dave@example.com", "--public-key", "ssh-ed25519 AAAAnot-base64"], "not an OpenSSH public key"),
        ("alice", ["identity", "add", "dave", "--email", "dave@example.com", "--public-key", "KEY", "--kind", "agent"], "needs --owner"),
        ("alice", ["identity", "add", "bob", "--email", "bob2@example.com", "--public-key", "KEY"], "already exists"),
        ("alice", ["role", "add", "legal", "nobody"], "unknown identity nobody"),
        ("alice", ["grant", "superuser", "bob"], "unknown permission"),
        ("alice", ["grant", "admin", "bot"], "only humans may be admins"),
        ("bob", ["grant", "draft", "bob"], "not an admin"),
        ("carol", ["new", "nda", "nda-2", "--set", "counterparty=X", "--set", "our_signer=bob", "--set", "their_signer=carol"], "draft permission"),
        ("bot", ["new", "nda", "nda-1", "--set", "counterparty=X", "--set", "our_signer=bob", "--set", "their_signer=carol"], "already exists"),
        ("bot", ["new", "nda", "nda-2", "--set", "counterparty=X\u{1b}[31m", "--set", "our_signer=bob", "--set", "their_signer=carol"], "control characters"),
        ("bot", ["new", "nda", "nda-2", "--set", "counterparty=X", "--set", "our_signer=nobody", "--set", "their_signer=carol"], "nobody"),
        ("bot", ["new", "no-such-template", "nda-2"], "no template"),
        ("alice", ["decline", "nda-1", "--reason", "  "], "needs --reason"),
        ("alice", ["approve", "nda-404"], "no agreement nda-404"),
        ("bot", ["send", "nda-1"], "in-progress"),
        ("mallory", ["approve", "nda-1"], "not in the policy"),
        ("alice", ["approve", "nda-1", "--digest", "sha256:" + String(repeating: "0", count: 64)], "review it again"),
        ("alice", ["approve", "nda-1", "--digest", "abc"], "malformed digest 'abc': expected sha256:<64 hex digits>"),
        ("alice", ["decline", "nda-1", "--reason", "no", "--digest", "sha256:00"], "malformed digest 'sha256:00'"),
        ("alice", ["approve", "nda-1", "--step", "Bad..Step"], "invalid step name"),
        ("bob", ["delegate", "nda-1", "--to", "nobody"], "not an identity of the policy"),
        ("bob", ["delegate", "nda-1", "--to", "Bad Name"], "invalid identity name"),
        ("bob", ["delegate", "nda-1", "--to", "dave\u{1b}[31m"], "invalid identity name"),
        ("alice", ["delegate", "nda-1", "--to", "carol"], "does not allow delegation"),
        ("alice", ["seal", "nda-1"], "only a completed agreement"),
        ("alice", ["seal", "nda-404"], "no agreement nda-404"),
        ("alice", ["notify", "--channel", "outbox:/tmp"], "notify permission"),
        ("alice", ["notify", "--channel", "ftp://example.com"], "unknown channel"),
        ("alice", ["notify"], "no notification channel"),
        ("alice", ["notify", "--channel", "outbox:/tmp", "--now", "yesterday"], "not an RFC 3339 time"),
        ("alice", ["status", "--now", "2026-13-45"], "not an RFC 3339 time"),
        ("alice", ["policy", "approve"], "no policy change is pending"),
        ("alice", ["policy", "threshold", "0"], "threshold"),
        ("alice", ["identity", "retire", "nobody"], "nobody"),
        ("alice", ["identity", "revoke", "alice"], "revok"),
        ("alice", ["log", "nda-404"], "no agreement nda-404"),
        ("alice", ["log", "Bad..Id"], "invalid agreement id"),
        ("alice", ["verify", "no-such-rev"], "names no commit"),
        ("alice", ["verify", "no-such-rev..HEAD"], "names no commit"),
    ]

    @Test("refused with a clear error, nothing written", arguments: cases.indices)
    func refused(index: Int) throws {
        let (who, arguments, says) = Self.cases[index]
        let team = try Team()
        let key = try String(contentsOfFile: team.sandbox.path("keys/mallory.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try team.git("rev-parse", "HEAD").check().stdout
        let result = try team.sandbox.sigit(team.repo, as: who, arguments.map { $0 == "KEY" ? key : $0 })
        #expect(result.status == 2, "\(arguments): \(result.stdout)")
        #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains("\u{1b}"))
        #expect(try team.git("rev-parse", "HEAD").stdout == before)
        #expect(try team.git("status", "--porcelain").stdout == "")
    }
}
