import Foundation
import Testing
@testable import GitKit

/// The wrappers `sigit review`, `sigit sync` and `sigit export` rest on, checked against stock git.
@Suite("Diff, merge, export, references")
struct DiffMergePackTests {
    @Test("diff under a prefix: added, modified, deleted and binary files, with the patch git would print")
    func diffUnderPrefix() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let base = try repo.makeCommit(["a/keep.md": "one\ntwo\n", "a/gone.md": "bye\n", "other.md": "x\n"], message: "base")
        var tree = try repo.commit(base).tree
        tree = try repo.updatedTree(base: tree, [
            .upsert(path: "a/keep.md", blob: try repo.writeBlob(Data("one\nTWO\n".utf8)), mode: 0o100644),
            .remove(path: "a/gone.md"),
            .upsert(path: "a/new.bin", blob: try repo.writeBlob(Data([0, 1, 2, 0, 255])), mode: 0o100644),
            .upsert(path: "other.md", blob: try repo.writeBlob(Data("y\n".utf8)), mode: 0o100644),
        ])
        let diffs = try repo.diff(from: try repo.commit(base).tree, to: tree, under: "a/")
        let byPath = Dictionary(uniqueKeysWithValues: diffs.map { ($0.path, $0) })
        #expect(Set(byPath.keys) == ["a/keep.md", "a/gone.md", "a/new.bin"], "other.md is outside the prefix")
        #expect(byPath["a/keep.md"]?.status == .modified && byPath["a/keep.md"]?.patch.contains("-two\n+TWO\n") == true)
        #expect(byPath["a/gone.md"]?.status == .deleted && byPath["a/gone.md"]?.newBlob == nil)
        let binary = try #require(byPath["a/new.bin"])
        #expect(binary.status == .added && binary.isBinary && binary.patch.isEmpty && binary.oldBlob == nil)
        #expect(try repo.diff(from: nil, to: tree, under: "a/").allSatisfy { $0.status == .added })
    }

    @Test("mergeTrees: a clean merge has both sides' changes; a conflict names the path and writes nothing")
    func mergeTrees() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let base = try repo.makeCommit(["doc.md": "a\nb\nc\n", "x.md": "x\n"], message: "base")
        let ours = try repo.makeCommit(["doc.md": "A\nb\nc\n"], parents: [base], message: "ours")
        let theirs = try repo.makeCommit(["x.md": "X\n"], parents: [base], message: "theirs")
        guard case .clean(let tree) = try repo.mergeTrees(ours: ours, theirs: theirs) else {
            Issue.record("expected a clean merge")
            return
        }
        let files = Dictionary(uniqueKeysWithValues: try repo.files(tree).map { ($0.path, String(decoding: try repo.blob($0.id), as: UTF8.self)) })
        #expect(files == ["doc.md": "A\nb\nc\n", "x.md": "X\n"])

        let clash = try repo.makeCommit(["doc.md": "Z\nb\nc\n"], parents: [base], message: "clash")
        guard case .conflicts(let paths) = try repo.mergeTrees(ours: ours, theirs: clash) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(paths == ["doc.md"])
    }

    @Test("exportBare: one pack with exactly the history and references asked, fsck-clean for stock git; a non-empty target is refused")
    func exportBare() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let first = try repo.makeCommit(["f": "1\n"], message: "first")
        let second = try repo.makeCommit(["f": "2\n"], parents: [first], message: "second")
        let unrelated = try repo.makeCommit(["secret": "not exported\n"], message: "elsewhere")
        let target = scratch.root + "/export.git"
        try repo.exportBare(to: target, tips: [second], references: ["refs/heads/main": second])
        let tools = scratch.tools
        #expect(try tools.succeed("git", ["--git-dir=" + target, "fsck", "--full", "--strict"]).status == 0)
        #expect(try tools.succeed("git", ["--git-dir=" + target, "rev-parse", "HEAD"]).line == second.hex)
        #expect(try tools.run("git", ["--git-dir=" + target, "cat-file", "-e", unrelated.hex]).status != 0, "only the history asked for")
        let packs = try FileManager.default.contentsOfDirectory(atPath: target + "/objects/pack").filter { $0.hasSuffix(".pack") }
        #expect(packs.count == 1)
        #expect(throws: GitError.self) { try repo.exportBare(to: target, tips: [second], references: ["refs/heads/main": second]) }
        #expect(throws: GitError.self) { try repo.exportBare(to: scratch.root + "/bad.git", tips: [second], references: ["refs/heads/main": second], head: "refs/heads/nope") }
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/bad.git"), "a failed export leaves nothing behind")
    }

    @Test("references(matching:) lists nested names; deleteReference removes one and ignores a missing one")
    func referenceList() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let commit = try repo.makeCommit(["f": "1\n"], message: "c")
        try repo.updateReference("refs/tags/sigit/a-1/completed", to: commit, expecting: nil, message: "t")
        try repo.updateReference("refs/tags/sigit/b-2/completed", to: commit, expecting: nil, message: "t")
        try repo.updateReference("refs/heads/main", to: commit, expecting: nil, message: "t")
        #expect(Set(try repo.references(matching: "refs/tags/sigit/*").keys) == ["refs/tags/sigit/a-1/completed", "refs/tags/sigit/b-2/completed"])
        try repo.deleteReference("refs/tags/sigit/a-1/completed")
        try repo.deleteReference("refs/tags/sigit/never-was")
        #expect(Array(try repo.references(matching: "refs/tags/*").keys) == ["refs/tags/sigit/b-2/completed"])
    }
}
