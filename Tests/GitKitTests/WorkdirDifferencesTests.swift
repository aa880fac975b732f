import Foundation
import Testing
@testable import GitKit

/// `Repository.workdirDifferences`: the files on disk below a folder against a tree, whatever the index says.
@Suite("Working tree against a tree")
struct WorkdirDifferencesTests {
    /// A repository whose HEAD holds `a/doc.md`, `a/sub/x.md`, an executable `a/run.sh` and `b/other.md`, checked out.
    func checkedOut() throws -> (ScratchRepository, tree: ObjectID) {
        let scratch = try ScratchRepository()
        try scratch.writeFile("a/doc.md", "the text\n")
        try scratch.writeFile("a/sub/x.md", "x\n")
        try scratch.writeFile("a/run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path + "/a/run.sh")
        try scratch.writeFile("b/other.md", "other\n")
        try scratch.gitSucceeds("add", "-A")
        try scratch.gitSucceeds("-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "one")
        let tree = try scratch.repository.commit(try scratch.repository.revparse("HEAD")).tree
        return (scratch, tree)
    }

    @Test("a clean checkout has no differences; changes outside the folder do not count")
    func clean() throws {
        let (scratch, tree) = try checkedOut()
        try scratch.writeFile("b/other.md", "changed\n")
        try scratch.writeFile("ab/new.md", "sibling with a longer name\n")
        #expect(try scratch.repository.workdirDifferences(folder: "a", tree: tree).isEmpty)
    }

    @Test("edited, new, deleted, re-moded, symlinked and hidden-from-status files are each named")
    func differences() throws {
        let (scratch, tree) = try checkedOut()
        try scratch.writeFile("a/doc.md", "another text\n")
        try scratch.writeFile("a/sub/new.md", "new\n")
        try FileManager.default.removeItem(atPath: scratch.path + "/a/sub/x.md")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: scratch.path + "/a/run.sh")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/a/link.md", withDestinationPath: "doc.md")
        #expect(try scratch.repository.workdirDifferences(folder: "a", tree: tree) == ["a/doc.md", "a/link.md", "a/run.sh", "a/sub/new.md", "a/sub/x.md"])
        #expect(try scratch.repository.workdirDifferences(folder: "a", tree: nil) == ["a/doc.md", "a/link.md", "a/run.sh", "a/sub/new.md"])
    }

    @Test("an edit the index marks assume-unchanged is still seen; core.fileMode false ignores the executable bit")
    func indexFlagsAndModes() throws {
        let (scratch, tree) = try checkedOut()
        try scratch.gitSucceeds("update-index", "--assume-unchanged", "a/doc.md")
        try scratch.writeFile("a/doc.md", "hidden edit\n")
        #expect(try scratch.git("status", "--porcelain").text.isEmpty)
        #expect(try scratch.repository.changedPaths(under: ["a"]).isEmpty, "status does not see it")
        #expect(try scratch.repository.workdirDifferences(folder: "a", tree: tree) == ["a/doc.md"])
        try scratch.writeFile("a/doc.md", "the text\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: scratch.path + "/a/run.sh")
        try scratch.gitSucceeds("config", "core.fileMode", "false")
        #expect(try Repository.open(scratch.path).workdirDifferences(folder: "a", tree: tree).isEmpty)
    }

    @Test("a folder replaced by a symbolic link is named; a bare repository has nothing to compare")
    func folderLinkAndBare() throws {
        let (scratch, tree) = try checkedOut()
        try FileManager.default.moveItem(atPath: scratch.path + "/a", toPath: scratch.root + "/copy")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/a", withDestinationPath: scratch.root + "/copy")
        #expect(try scratch.repository.workdirDifferences(folder: "a", tree: tree) == ["a", "a/doc.md", "a/run.sh", "a/sub/x.md"])
        let bare = try ScratchRepository(bare: true)
        #expect(try bare.repository.workdirDifferences(folder: "a", tree: nil).isEmpty)
    }
}
