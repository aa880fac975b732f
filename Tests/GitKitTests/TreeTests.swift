import Foundation
import Testing
@testable import GitKit

@Suite("Trees and blobs")
struct TreeTests {
    /// A tree with a nested folder, an executable, a link and a name that sorts next to a folder.
    static func sampleTree(_ repository: Repository) throws -> ObjectID {
        let text = try repository.writeBlob(Data("text\n".utf8))
        let script = try repository.writeBlob(Data("#!/bin/sh\n".utf8))
        let target = try repository.writeBlob(Data("docs/a.md".utf8))
        return try repository.updatedTree(base: nil, [
            .upsert(path: "docs/a.md", blob: text, mode: 0o100644),
            .upsert(path: "docs/deep/b.md", blob: text, mode: 0o100644),
            .upsert(path: "docs.txt", blob: text, mode: 0o100644),
            .upsert(path: "run.sh", blob: script, mode: 0o100755),
            .upsert(path: "link", blob: target, mode: 0o120000),
        ])
    }

    @Test("treeEntries lists one level in git's order, with modes as ls-tree shows them")
    func treeEntriesMatchLsTree() throws {
        let scratch = try ScratchRepository()
        let tree = try Self.sampleTree(scratch.repository)
        let entries = try scratch.repository.treeEntries(tree)
        // git sorts a folder as if its name ended in "/", so "docs.txt" comes before "docs".
        #expect(entries.map(\.name) == ["docs.txt", "docs", "link", "run.sh"])
        let stock = try scratch.gitSucceeds("ls-tree", tree.hex).text
        let ours = entries.map { entry in
            let kind = entry.isTree ? "tree" : "blob"
            return String(format: "%06o", entry.mode) + " \(kind) \(entry.id.hex)\t\(entry.name)\n"
        }.joined()
        #expect(ours == stock)
        let kinds = entries.map { ($0.isTree, $0.isFile, $0.isSymlink) }
        #expect(kinds.filter { $0.0 }.count == 1 && kinds.filter { $0.2 }.count == 1)
    }

    @Test("treeEntry finds nested paths and returns nil for missing ones")
    func treeEntryByPath() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let tree = try Self.sampleTree(repository)
        let nested = try #require(try repository.treeEntry(tree, path: "docs/deep/b.md"))
        #expect(nested.name == "b.md")
        #expect(nested.isFile && nested.mode == 0o100644)
        #expect(try repository.blob(nested.id) == Data("text\n".utf8))
        let folder = try #require(try repository.treeEntry(tree, path: "docs"))
        #expect(folder.isTree)
        #expect(try repository.treeEntry(tree, path: "run.sh")?.mode == 0o100755)
        #expect(try repository.treeEntry(tree, path: "docs/missing.md") == nil)
        #expect(try repository.treeEntry(tree, path: "nope/deeper/x") == nil)
        #expect(try repository.treeEntry(tree, path: "run.sh/inside") == nil)
    }

    @Test("files lists every file below a tree with full paths, sorted, as ls-tree -r does")
    func filesRecursive() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let tree = try Self.sampleTree(repository)
        let files = try repository.files(tree)
        #expect(files.map(\.path) == ["docs.txt", "docs/a.md", "docs/deep/b.md", "link", "run.sh"])
        let stock = try scratch.gitSucceeds("ls-tree", "-r", tree.hex).text
            .split(separator: "\n").map { $0.split(separator: "\t").last.map(String.init) ?? "" }
        #expect(Set(files.map(\.path)) == Set(stock))
        #expect(files.first { $0.path == "link" }?.mode == 0o120000)
        let docs = try #require(try repository.treeEntry(tree, path: "docs"))
        #expect(try repository.files(docs.id, prefix: "docs/").map(\.path) == ["docs/a.md", "docs/deep/b.md"])
    }

    @Test("updatedTree replaces and removes paths on top of a base tree, ignoring absent ones")
    func updatedTreeOnBase() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let tree = try Self.sampleTree(repository)
        let replacement = try repository.writeBlob(Data("new\n".utf8))
        let updated = try repository.updatedTree(base: tree, [
            .upsert(path: "docs/a.md", blob: replacement, mode: 0o100644),
            .remove(path: "docs/deep/b.md"),
            .remove(path: "not/there"),
        ])
        #expect(try repository.files(updated).map(\.path) == ["docs.txt", "docs/a.md", "link", "run.sh"])
        #expect(try scratch.gitSucceeds("show", "\(updated.hex):docs/a.md").text == "new\n")
        #expect(try repository.updatedTree(base: tree, []) == tree)
    }

    @Test("blob returns the exact bytes, including empty and binary content")
    func blobBytes() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let binary = Data([0, 255, 10, 13, 0x80, 0])
        #expect(try repository.blob(repository.writeBlob(binary)) == binary)
        #expect(try repository.blob(repository.writeBlob(Data())) == Data())
        let missing = try #require(ObjectID(hex: String(repeating: "ee", count: 20)))
        #expect(throws: GitError.self) { try repository.blob(missing) }
        #expect(throws: GitError.self) { try repository.treeEntries(missing) }
    }
}
