import Foundation
import Testing
@testable import GitKit

@Suite("Working tree status and checkout")
struct WorkdirTests {
    /// A repository whose HEAD commit (made by stock git) holds docs/a.md, docs/b.md, docs/c.md and notes.txt.
    static func committedRepository() throws -> ScratchRepository {
        let scratch = try ScratchRepository()
        for name in ["docs/a.md", "docs/b.md", "docs/c.md", "notes.txt"] {
            try scratch.writeFile(name, "original \(name)\n")
        }
        try scratch.gitSucceeds("add", "-A")
        try scratch.gitSucceeds("commit", "-q", "-m", "initial")
        return scratch
    }

    @Test("a clean working tree has no changed paths")
    func cleanTree() throws {
        let scratch = try Self.committedRepository()
        #expect(try scratch.repository.changedPaths(under: []).isEmpty)
        #expect(try scratch.repository.changedPaths(under: ["docs"]).isEmpty)
    }

    @Test("modified, staged, deleted and untracked files under a prefix are changed; others are not")
    func changedUnderPrefix() throws {
        let scratch = try Self.committedRepository()
        try scratch.writeFile("docs/a.md", "edited\n")
        try scratch.writeFile("docs/b.md", "staged\n")
        try scratch.gitSucceeds("add", "docs/b.md")
        try FileManager.default.removeItem(atPath: scratch.path + "/docs/c.md")
        try scratch.writeFile("docs/new/untracked.md", "new\n")
        try scratch.writeFile("notes.txt", "edited outside\n")
        try scratch.writeFile("docsish.txt", "a sibling whose name starts like the prefix\n")

        let docs = try scratch.repository.changedPaths(under: ["docs"]).sorted()
        #expect(docs == ["docs/a.md", "docs/b.md", "docs/c.md", "docs/new/untracked.md"])
        let all = try scratch.repository.changedPaths(under: []).sorted()
        #expect(all == ["docs/a.md", "docs/b.md", "docs/c.md", "docs/new/untracked.md", "docsish.txt", "notes.txt"])
        #expect(try scratch.repository.changedPaths(under: ["notes.txt"]) == ["notes.txt"])
    }

    @Test("ignored files are not changes")
    func ignoredFiles() throws {
        let scratch = try Self.committedRepository()
        try scratch.writeFile(".gitignore", "*.log\n")
        try scratch.gitSucceeds("add", ".gitignore")
        try scratch.gitSucceeds("commit", "-q", "-m", "ignore logs")
        try scratch.writeFile("docs/debug.log", "noise\n")
        #expect(try scratch.repository.changedPaths(under: ["docs"]).isEmpty)
    }

    @Test("checkoutHead brings the paths in line with a HEAD moved by GitKit and leaves other paths alone")
    func checkoutAfterHeadMoved() throws {
        let scratch = try Self.committedRepository()
        let repository = scratch.repository
        let head = try #require(try repository.resolveReference("HEAD"))
        let base = try repository.commit(head).tree
        let tree = try repository.updatedTree(base: base, [
            .upsert(path: "docs/a.md", blob: repository.writeBlob(Data("from the new commit\n".utf8)), mode: 0o100644),
            .upsert(path: "docs/added.md", blob: repository.writeBlob(Data("added\n".utf8)), mode: 0o100644),
            .remove(path: "docs/c.md"),
            .upsert(path: "notes.txt", blob: repository.writeBlob(Data("new notes\n".utf8)), mode: 0o100644),
        ])
        let who = Repository.testSignature()
        let buffer = try repository.commitBuffer(tree: tree, parents: [head], author: who, committer: who, message: "move\n")
        let next = try repository.createCommit(buffer: buffer, signature: nil)
        try repository.updateReference("refs/heads/main", to: next, expecting: head, message: "move")

        try repository.checkoutHead(paths: ["docs"])
        #expect(scratch.readFile("docs/a.md") == "from the new commit\n")
        #expect(scratch.readFile("docs/added.md") == "added\n")
        #expect(scratch.readFile("docs/c.md") == nil)
        #expect(scratch.readFile("docs/b.md") == "original docs/b.md\n")
        #expect(try repository.changedPaths(under: ["docs"]).isEmpty)
        // notes.txt was not checked out: the working tree still has the old text, which differs from HEAD.
        #expect(scratch.readFile("notes.txt") == "original notes.txt\n")
        #expect(try repository.changedPaths(under: []) == ["notes.txt"])
        #expect(try scratch.gitSucceeds("status", "--porcelain", "--", "docs").text.isEmpty)
    }

    @Test("checkoutHead with no paths touches nothing")
    func checkoutNothing() throws {
        let scratch = try Self.committedRepository()
        try scratch.writeFile("docs/a.md", "local edit\n")
        try scratch.repository.checkoutHead(paths: [])
        #expect(scratch.readFile("docs/a.md") == "local edit\n")
    }
}
