import Testing
@testable import SigitCore

/// The pre-receive hook's reading of reference names: `--allow-ref` patterns and names that shadow a protected branch.
@Suite("hook reference namespaces")
struct RefNamespaceTests {
    func update(_ ref: String) -> RefUpdate { RefUpdate(old: nil, new: nil, ref: ref) }

    @Test("names git could read as main shadow it; the branch itself, other branches and seals do not", arguments: [
        ("refs/tags/main", "main"), ("refs/remotes/origin/main", "main"), ("refs/remotes/main", "main"), ("refs/main", "main"),
        ("refs/heads/refs/heads/main", "main"), ("refs/heads/heads/main", "main"), ("refs/heads/tags/main", "main"),
        ("refs/tags/refs/heads/main", "main"), ("refs/heads/MAIN", "main"), ("refs/Tags/Main", "main"),
        ("refs/heads/HEAD", "HEAD"), ("refs/heads/sigit/nda-1/completed", "refs/tags/sigit/nda-1/completed"),
        ("refs/tags/release/1", "release/1"), ("refs/remotes/origin/release/1", "release/1"),
    ])
    func shadows(_ ref: String, _ shadowed: String) {
        #expect(update(ref).shadowedName(protected: ["main", "release/1"]) == shadowed)
    }

    @Test("controls: no shadow", arguments: ["refs/heads/main", "refs/heads/release/1", "refs/heads/feature/main", "refs/heads/mainline",
                                             "refs/heads/head", "refs/tags/sigit/nda-1/completed", "refs/pull/1/head", "refs/heads/origin-main"])
    func noShadow(_ ref: String) {
        #expect(update(ref).shadowedName(protected: ["main", "release/1"]) == nil)
    }

    @Test("patterns: * matches across /, ? one character, the rest literally")
    func patterns() throws {
        let pull = try RefPattern("refs/pull/*")
        #expect(pull.matches("refs/pull/1/head") && pull.matches("refs/pull/"))
        #expect(!pull.matches("refs/pulls/1") && !pull.matches("refs/heads/pull/1"))
        let one = try RefPattern("refs/pull/?/head")
        #expect(one.matches("refs/pull/1/head") && !one.matches("refs/pull/12/head"))
        let middle = try RefPattern("refs/*/merge")
        #expect(middle.matches("refs/a/b/merge") && !middle.matches("refs/a/b/merged"))
        #expect(try RefPattern("refs/notes/commits").matches("refs/notes/commits"))
    }

    @Test("bad patterns are refused with the pattern named", arguments: ["pull/*", "refs/", "refs/a,b", "refs/a b", "refs/../x", "refs/[a]", "refs/x/"])
    func badPatterns(_ text: String) {
        #expect(throws: SigitError.self) { try RefPattern(text) }
    }

    @Test("replace references are never allowed; notes and others are refused with their reason")
    func reasons() {
        #expect(update("refs/replace/0123").forbiddenReason?.contains("git show") == true)
        #expect(update("refs/notes/commits").forbiddenReason == nil)
        #expect(update("refs/notes/commits").unlistedReason.contains("notes are refused"))
        #expect(update("refs/tags/v1").unlistedReason.contains("--allow-ref"))
    }
}
