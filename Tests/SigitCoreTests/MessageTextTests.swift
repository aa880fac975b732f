import Foundation
import Testing
@testable import SigitCore

/// The small text helpers behind the CLI's messages: did you mean, digests, plurals, remote progress, Markdown.
@Suite("message text")
struct MessageTextTests {
    @Test("edit distance counts insertions, deletions, substitutions and swaps of neighbours as 1", arguments: [
        ("approve", "approve", 0), ("aprove", "approve", 1), ("apporve", "approve", 1), ("approvee", "approve", 1),
        ("stauts", "status", 1), ("", "send", 4), ("send", "", 4), ("void", "verify", 4),
    ])
    func distance(_ a: String, _ b: String, _ expected: Int) {
        #expect(Suggestion.distance(a, b) == expected)
    }

    @Test("did you mean: the closest verb when it is a likely typo, none for a different word")
    func closest() {
        let verbs = ["approve", "decline", "delegate", "draft", "send", "status", "seal", "sync", "verify", "void"]
        #expect(Suggestion.closest(to: "aprove", among: verbs) == "approve")
        #expect(Suggestion.closest(to: "stauts", among: verbs) == "status")
        #expect(Suggestion.closest(to: "snyc", among: verbs) == "sync")
        #expect(Suggestion.closest(to: "frobnicate", among: verbs) == nil)
        #expect(Suggestion.closest(to: "x", among: verbs) == nil)
    }

    @Test("a digest is sha256:<64 hex digits>, upper case read as lower case; anything else is malformed", arguments: [
        "abc", "sha256:", "sha256:abc", "sha1:" + String(repeating: "a", count: 40), "sha256:" + String(repeating: "g", count: 64),
        "sha256:" + String(repeating: "a", count: 65), " sha256:" + String(repeating: "a", count: 64), "sha256:" + String(repeating: "٣", count: 64),
    ])
    func malformedDigest(_ text: String) {
        #expect(throws: SigitError.badInput("malformed digest '\(TerminalText.safe(text))': expected sha256:<64 hex digits>")) { try DigestText.parse(text) }
    }

    @Test("a well-formed digest comes back in lower case")
    func digest() throws {
        let hex = String(repeating: "0a", count: 32)
        #expect(try DigestText.parse("sha256:" + hex) == "sha256:" + hex)
        #expect(try DigestText.parse("sha256:" + hex.uppercased()) == "sha256:" + hex)
    }

    @Test("plurals: 1 commit, 0 and 2 commits, irregular nouns")
    func plural() {
        #expect(Plural.count(1, "commit") == "1 commit")
        #expect(Plural.count(0, "commit") == "0 commits")
        #expect(Plural.count(2, "new commit") == "2 new commits")
        #expect(Plural.count(3, "identity", "identities") == "3 identities")
    }

    @Test("git's and libgit2's transfer progress is progress; a hook's message is not")
    func progress() {
        for line in ["Counting objects 5", "Counting objects: 100% (3/3), done.", "Compressing objects: 100% (2/2)", "Enumerating objects: 5, done.",
                     "Total 3 (delta 1), reused 0 (delta 0), pack-reused 0", "Writing objects: 100% (3/3), 300 bytes | 300.00 KiB/s, done."] {
            #expect(RemoteProgress.isProgress(line), "\(line)")
        }
        for line in ["sigit: refs/heads/main: ok, 1 new commit checked", "Total nonsense from a hook", "sigit: push refused"] {
            #expect(!RemoteProgress.isProgress(line), "\(line)")
        }
    }

    @Test("Markdown: versions, times and sentences stay plain; autolinks, lists, emphasis and HTML are neutralised", arguments: [
        ("sigit 0.1.0 (format 1)", "sigit 0.1.0 (format 1)"),
        ("2026-12-07T02:41:55Z", "2026-12-07T02:41:55Z"),
        ("Reason: too broad.", "Reason: too broad."),
        ("see www.evil.example", "see www\\.evil.example"),
        ("see WWW.evil.example", "see WWW\\.evil.example"),
        ("http://evil.example", "http\\://evil.example"),
        ("x@evil.example", "x\\@evil.example"),
        ("1. item", "1\\. item"),
        ("*bold* [a](b) <b> | ~", "\\*bold\\* \\[a\\](b) &lt;b&gt; \\| \\~"),
    ])
    func markdown(_ text: String, _ expected: String) {
        #expect(MarkdownText.escape(text) == expected)
    }
}
