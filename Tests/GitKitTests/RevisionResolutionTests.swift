import Foundation
import Testing
@testable import GitKit

/// `Repository.revparse`: branches before tags, full names and ids as written, and no object replacement.
@Suite("Resolving revisions")
struct RevisionResolutionTests {
    /// A repository with branch `main` at `branch` and stock git's tag `main` at `tag` (another commit).
    func ambiguous() throws -> (ScratchRepository, branch: ObjectID, tag: ObjectID) {
        let scratch = try ScratchRepository()
        let first = try scratch.repository.makeCommit(["f": "1\n"], message: "one\n")
        let branch = try scratch.repository.makeCommit(["f": "2\n"], parents: [first], message: "two\n")
        let tag = try scratch.repository.makeCommit(["f": "evil\n"], parents: [first], message: "side\n")
        try scratch.gitSucceeds("update-ref", "refs/heads/main", branch.hex)
        try scratch.gitSucceeds("tag", "main", tag.hex)
        return (scratch, branch, tag)
    }

    @Test("a tag named like a branch never shadows it, in any revision form; stock git reads the tag")
    func branchBeforeTag() throws {
        let (scratch, branch, tag) = try ambiguous()
        #expect(try scratch.git("rev-parse", "main^{commit}").line == tag.hex, "the ambiguity is real")
        let repository = scratch.repository
        #expect(try repository.revparse("main") == branch)
        #expect(try repository.revparse("main^{commit}") == branch)
        #expect(try repository.revparse("main~1") == (try repository.revparse("main^")))
        #expect(try repository.revparse("main~1") != tag)
        #expect(try repository.revparse("main@{0}") == branch)
        #expect(try repository.revparse("heads/main") == branch)
        #expect(try repository.revparse("refs/heads/main") == branch)
        #expect(try repository.revparse("tags/main") == tag)
        #expect(try repository.revparse("refs/tags/main") == tag)
    }

    @Test("a full name is read as written, even when a branch carries it as its short name")
    func fullNamesAsWritten() throws {
        let (scratch, branch, tag) = try ambiguous()
        try scratch.gitSucceeds("update-ref", "refs/heads/refs/heads/main", tag.hex)
        try scratch.gitSucceeds("update-ref", "refs/heads/heads/main", tag.hex)
        try scratch.gitSucceeds("update-ref", "refs/heads/HEAD", tag.hex)
        try scratch.gitSucceeds("symbolic-ref", "HEAD", "refs/heads/main")
        #expect(try scratch.repository.revparse("refs/heads/main") == branch)
        #expect(try scratch.repository.revparse("heads/main") == branch)
        #expect(try scratch.repository.revparse("HEAD") == branch)
        #expect(try scratch.repository.revparse(branch.hex) == branch)
    }

    @Test("controls: a tag alone, a short id and a remote-tracking branch resolve as git resolves them")
    func others() throws {
        let scratch = try ScratchRepository()
        let one = try scratch.repository.makeCommit(["f": "1\n"], message: "one\n")
        let two = try scratch.repository.makeCommit(["f": "2\n"], parents: [one], message: "two\n")
        try scratch.gitSucceeds("update-ref", "refs/heads/main", two.hex)
        try scratch.gitSucceeds("tag", "v1", one.hex)
        try scratch.gitSucceeds("update-ref", "refs/remotes/origin/main", one.hex)
        #expect(try scratch.repository.revparse("v1") == one)
        #expect(try scratch.repository.revparse(String(one.hex.prefix(10))) == one)
        #expect(try scratch.repository.revparse("origin/main") == one)
        #expect(throws: GitError.self) { try scratch.repository.revparse("nothing-here") }
        #expect(throws: GitError.self) { try scratch.repository.revparse("bad name~") }
    }

    @Test("the short reference name of a revision spec stops at ~ ^ : and @{")
    func leadingName() {
        #expect(Repository.leadingName("main~2") == "main")
        #expect(Repository.leadingName("main^{tree}") == "main")
        #expect(Repository.leadingName("main@{upstream}") == "main")
        #expect(Repository.leadingName("me@example") == "me@example")
        #expect(Repository.leadingName("main:path/file") == "main")
        #expect(Repository.leadingName(":/message") == "")
        #expect(Repository.leadingName("@{-1}") == "")
    }

    @Test("replace references are never applied: blobs, commits and trees read as stored while stock git shows the replacement")
    func noReplacement() throws {
        let scratch = try ScratchRepository()
        let signed = try scratch.repository.makeCommit(["agreements/a/doc.md": "the signed text\n"], message: "draft a\n")
        try scratch.gitSucceeds("update-ref", "refs/heads/main", signed.hex)
        let blob = try #require(try scratch.repository.treeEntry(try scratch.repository.commit(signed).tree, path: "agreements/a/doc.md")).id
        let evil = try scratch.gitSucceeds("hash-object", "-w", "--stdin", input: Data("another text\n".utf8)).line
        try scratch.gitSucceeds("replace", blob.hex, evil)
        let other = try scratch.repository.makeCommit(["agreements/a/doc.md": "a third text\n"], message: "forged\n")
        try scratch.gitSucceeds("replace", signed.hex, other.hex)
        #expect(try scratch.git("show", "main:agreements/a/doc.md").text == "a third text\n", "stock git applies the replacements")
        #expect(try scratch.git("cat-file", "-p", blob.hex).text == "another text\n")

        let reopened = try Repository.open(scratch.path)
        #expect(try reopened.revparse("main") == signed)
        #expect(try reopened.commit(signed).message.hasPrefix("draft a"))
        #expect(try reopened.blob(blob) == Data("the signed text\n".utf8))
        let entry = try #require(try reopened.treeEntry(try reopened.commit(signed).tree, path: "agreements/a/doc.md"))
        #expect(entry.id == blob)
    }
}
