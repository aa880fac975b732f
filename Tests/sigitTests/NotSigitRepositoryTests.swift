import Foundation
import Testing

/// Every verb that needs a sigit repository refuses a git repository with no trust root, and a folder that is no git
/// repository, with one line and exit 2: a CI gate running `sigit verify` in the wrong place must not pass.
@Suite("not a sigit repository")
struct NotSigitRepositoryTests {
    static let verbs: [[String]] = [
        ["verify"], ["verify", "--json"], ["verify", "HEAD~1..HEAD"], ["log"], ["log", "nda-1"], ["status"], ["status", "nda-1"], ["inbox"],
        ["certificate", "nda-1"], ["review", "nda-1"], ["export", "nda-1", "-o", "pkg"], ["approve", "nda-1"], ["seal", "nda-1"],
        ["notify", "--channel", "outbox:out"], ["policy", "show"],
    ]

    /// A git repository with two ordinary commits and no sigit history.
    static func plainRepository() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.key("alice")
        try sandbox.run("/usr/bin/env", ["git", "init", "-q", "repo"], in: sandbox.root.path).check()
        for n in 1...2 {
            try "text \(n)\n".write(toFile: sandbox.path("repo/file.txt"), atomically: true, encoding: .utf8)
            try sandbox.git("repo", "add", "file.txt").check()
            try sandbox.git("repo", "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "commit \(n)").check()
        }
        return sandbox
    }

    @Test("a git repository without an init commit: exit 2, one line, nothing written", arguments: verbs)
    func plainGit(arguments: [String]) throws {
        let sandbox = try Self.plainRepository()
        let before = try sandbox.git("repo", "rev-parse", "HEAD").check().stdout
        let config = try String(contentsOfFile: sandbox.path("repo/.git/config"), encoding: .utf8)
        let result = try sandbox.sigit("repo", as: "alice", arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
        #expect(result.stderr == "sigit: not a sigit repository (no init commit in HEAD's history); run sigit init\n", "\(arguments): \(result.stderr)")
        #expect(!result.stdout.contains("ok"), "\(arguments): \(result.stdout)")
        #expect(try sandbox.git("repo", "rev-parse", "HEAD").stdout == before)
        #expect(try sandbox.git("repo", "status", "--porcelain").stdout == "")
        #expect(try String(contentsOfFile: sandbox.path("repo/.git/config"), encoding: .utf8) == config, "no trust root pinned")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("repo/pkg")) && !FileManager.default.fileExists(atPath: sandbox.path("repo/out")))
    }

    @Test("a folder that is no git repository: exit 2, one line", arguments: [["verify"], ["log"], ["status"]])
    func noGit(arguments: [String]) throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(atPath: sandbox.path("plain"), withIntermediateDirectories: true)
        let result = try sandbox.run(Sandbox.sigitBinary, ["-C", sandbox.path("plain")] + arguments, in: sandbox.root.path)
        #expect(result.status == 2, "\(arguments): \(result.stdout)")
        #expect(result.stderr.hasPrefix("sigit: ") && result.stderr.contains("not inside a git repository"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a clone that pinned a trust root, now on a history without one: refused as not a sigit repository")
    func pinnedRootGone() throws {
        let sandbox = try Self.plainRepository()
        try sandbox.git("repo", "config", "sigit.root", String(repeating: "a", count: 40)).check()
        let result = try sandbox.sigit("repo", as: "alice", ["verify"])
        #expect(result.status == 2 && result.stderr.contains("not a sigit repository") && result.stderr.contains("pinned"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("control: a sigit repository verifies; a broken trust root is a violation (exit 1), not this error")
    func control() throws {
        let team = try Team(nda: false)
        let ok = try team.sigit(nil, "verify").check()
        #expect(ok.stdout.contains("ok:"))
        let sandbox = try Self.plainRepository()
        // A policy added by an unsigned commit that is no init event: history tries to be a sigit history and fails.
        try FileManager.default.createDirectory(atPath: sandbox.path("repo/.sigit"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: team.sandbox.path("repo/.sigit/policy.yml"), toPath: sandbox.path("repo/.sigit/policy.yml"))
        try sandbox.git("repo", "add", ".sigit").check()
        try sandbox.git("repo", "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "add a policy").check()
        let broken = try sandbox.sigit("repo", as: "alice", ["verify"])
        #expect(broken.status == 1 && broken.stdout.contains("[trust-root]"), "\(broken.stdout) \(broken.stderr)")
    }
}
