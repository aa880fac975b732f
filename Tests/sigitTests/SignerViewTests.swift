import Foundation
import Testing

/// Spec 4, *What a signer sees is what they sign*: `approve` and `decline` refuse while the working tree's files of
/// the agreement differ from the committed content they would sign; nothing is written.
@Suite("what a signer sees is what they sign")
struct SignerViewTests {
    /// A local change to the working tree of the team repository.
    struct Change: CustomTestStringConvertible, Sendable {
        let name: String
        /// The path the refusal must name.
        let path: String
        let make: @Sendable (Team) throws -> Void
        var testDescription: String { name }
    }

    static let changes: [Change] = [
        Change(name: "an edited document", path: "agreements/nda-1/nda.md") { team in
            try team.edit("agreements/nda-1/nda.md") { $0 + "\nA clause only this screen shows.\n" }
        },
        Change(name: "an edit that is staged", path: "agreements/nda-1/nda.md") { team in
            try team.edit("agreements/nda-1/nda.md") { $0.replacingOccurrences(of: "Acme", with: "Acme Holdings") }
            try team.git("add", "agreements/nda-1/nda.md").check()
        },
        Change(name: "a new untracked file in the folder", path: "agreements/nda-1/annex.md") { team in
            try "Annex: the real terms.\n".write(toFile: team.sandbox.path("repo/agreements/nda-1/annex.md"), atomically: true, encoding: .utf8)
        },
        Change(name: "a new file .gitignore hides", path: "agreements/nda-1/terms.tmp") { team in
            try "*.tmp\n".write(toFile: team.sandbox.path("repo/.gitignore"), atomically: true, encoding: .utf8)
            try "hidden terms\n".write(toFile: team.sandbox.path("repo/agreements/nda-1/terms.tmp"), atomically: true, encoding: .utf8)
        },
        Change(name: "a deleted file", path: "agreements/nda-1/nda.md") { team in
            try FileManager.default.removeItem(atPath: team.sandbox.path("repo/agreements/nda-1/nda.md"))
        },
        Change(name: "a changed executable bit", path: "agreements/nda-1/nda.md") { team in
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: team.sandbox.path("repo/agreements/nda-1/nda.md"))
        },
        Change(name: "a file replaced by a symbolic link", path: "agreements/nda-1/nda.md") { team in
            let file = team.sandbox.path("repo/agreements/nda-1/nda.md")
            try "Other terms entirely.\n".write(toFile: team.sandbox.path("elsewhere.md"), atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: team.sandbox.path("elsewhere.md"))
        },
        Change(name: "an edit git status does not show (assume-unchanged)", path: "agreements/nda-1/nda.md") { team in
            try team.git("update-index", "--assume-unchanged", "agreements/nda-1/nda.md").check()
            try team.edit("agreements/nda-1/nda.md") { $0 + "\nClause 9: all rights to the signer.\n" }
            #expect(try team.git("status", "--porcelain").check().stdout.isEmpty, "git status hides the edit")
        },
        Change(name: "an edit git status does not show (skip-worktree)", path: "agreements/nda-1/nda.md") { team in
            try team.git("update-index", "--skip-worktree", "agreements/nda-1/nda.md").check()
            try team.edit("agreements/nda-1/nda.md") { $0 + "\nClause 9: all rights to the signer.\n" }
        },
        Change(name: "the folder replaced by a symbolic link to an edited copy", path: "agreements/nda-1") { team in
            let folder = team.sandbox.path("repo/agreements/nda-1")
            try FileManager.default.moveItem(atPath: folder, toPath: team.sandbox.path("copy"))
            try "\nA clause only the copy has.\n".write(toFile: team.sandbox.path("copy/extra.md"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: team.sandbox.path("copy"))
        },
    ]

    @Test("approve and decline refuse over uncommitted changes to the agreement's files, name them, and the branch does not move", arguments: changes)
    func refused(_ change: Change) throws {
        let team = try Team()
        let before = try team.tip()
        try change.make(team)
        for arguments in [["approve", "nda-1"], ["decline", "nda-1", "--reason", "no"]] {
            let result = try team.sigit("alice", arguments)
            #expect(result.status == 2, "\(arguments[0]): exit \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(change.path), "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("commit them with sigit draft nda-1 or discard them with git restore/git clean"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(try team.tip() == before, "\(arguments[0]) wrote nothing")
        }
        #expect(try team.slotStates(0) == ["pending"])
    }

    @Test("controls: a clean folder approves; changes outside the agreement's folder, a sibling agreement with a longer id included, do not block")
    func controls() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try "local notes\n".write(toFile: team.sandbox.path("repo/NOTES.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: team.sandbox.path("repo/agreements/nda-10"), withIntermediateDirectories: true)
        try "a draft nobody sent\n".write(toFile: team.sandbox.path("repo/agreements/nda-10/draft.md"), atomically: true, encoding: .utf8)
        try team.edit(".sigit/policy.yml") { $0 + "# a local comment\n" }
        let before = try team.tip()
        try team.sigit("bob", "approve", "nda-1").check()
        #expect(try team.tip() != before)
        try team.sigit("carol", "decline", "nda-1", "--reason", "not yet").check()
        #expect(try team.status()["state"] as? String == "declined")
    }

    @Test("the same edit committed with sigit draft and sent again can be approved")
    func committedThenApproved() throws {
        let team = try Team()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nAn agreed addition.\n" }
        #expect(try team.sigit("alice", "approve", "nda-1").status == 2)
        try team.sigit("bot", "draft", "nda-1", "-m", "addition").check()
        try team.sigit("bot", "send", "nda-1").check()
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try team.slotStates(0) == ["approved"])
    }

    @Test("in a bare repository there is no working tree to compare: approve works")
    func bare() throws {
        let team = try Team()
        try team.sandbox.run("/usr/bin/env", ["git", "clone", "-q", "--bare", "repo", "bare.git"], in: team.sandbox.root.path).check()
        let before = try team.revision("main", in: "bare.git")
        try team.sandbox.sigit("bare.git", as: "alice", ["approve", "nda-1"]).check()
        #expect(try team.revision("main", in: "bare.git") != before)
    }
}
