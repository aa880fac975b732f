import Foundation
import Testing
@testable import GitKit

@Suite("Reading commits")
struct CommitReadTests {
    @Test("commit reads tree, parents, author, committer and raw message as stock git wrote them")
    func readsStockCommit() throws {
        let scratch = try ScratchRepository()
        try scratch.writeFile("f", "1\n")
        try scratch.gitSucceeds("add", "f")
        try scratch.gitSucceeds("commit", "-q", "-m", "Subject", "-m", "Sigit-Action: draft")
        let id = try #require(try scratch.repository.resolveReference("refs/heads/main"))
        let info = try scratch.repository.commit(id)
        #expect(info.id == id)
        #expect(info.tree.hex == (try scratch.gitSucceeds("rev-parse", "HEAD^{tree}").line))
        #expect(info.parents.isEmpty)
        #expect(info.author == Signature(name: "Stock Git", email: "stock@example.com", time: 1_700_000_000, offsetMinutes: 0))
        #expect(info.committer == info.author)
        #expect(info.message == "Subject\n\nSigit-Action: draft\n")
    }

    @Test("a commit with a non-UTF-8 message and author is read leniently, without trapping")
    func nonUTF8Message() throws {
        let scratch = try ScratchRepository()
        let emptyTree = try scratch.repository.emptyTree()
        // A Latin-1 commit as an old tool would write it, stored byte for byte by stock git.
        var raw = Data("tree \(emptyTree.hex)\nauthor Ren".utf8) + [0xE9] + Data("e <r@example.com> 1700000000 +0200\n".utf8)
        raw += Data("committer C <c@example.com> 1700000000 +0200\nencoding ISO-8859-1\n\nCaf".utf8)
        raw += [0xE9, 0xFF, 0xFE] + Data(" \u{1F600}\n\nKey: v".utf8) + [0xE9] + Data("\n".utf8)
        let id = try #require(ObjectID(hex: try scratch.gitSucceeds("hash-object", "-t", "commit", "-w", "--stdin", input: raw).line))
        #expect(try scratch.gitSucceeds("cat-file", "commit", id.hex).stdout == raw)

        let info = try scratch.repository.commit(id)
        #expect(info.author.name == "Ren\u{FFFD}e")
        #expect(info.author.offsetMinutes == 120)
        #expect(info.message.hasPrefix("Caf\u{FFFD}"))
        #expect(info.message.contains(" \u{1F600}\n"))
        #expect(try Message.trailers(info.message).map(\.key) == ["Key"])
        #expect(try scratch.repository.walk(from: [id]) == [id])
    }

    @Test("commit and revparse of a missing or non-commit object throw")
    func missingCommit() throws {
        let scratch = try ScratchRepository()
        let missing = try #require(ObjectID(hex: String(repeating: "aa", count: 20)))
        #expect(throws: GitError.self) { try scratch.repository.commit(missing) }
        let blob = try scratch.repository.writeBlob(Data("x".utf8))
        #expect(throws: GitError.self) { try scratch.repository.commit(blob) }
        #expect(throws: GitError.self) { try scratch.repository.revparse("no-such-branch") }
        #expect(try scratch.repository.resolveReference("refs/heads/none") == nil)
    }
}
