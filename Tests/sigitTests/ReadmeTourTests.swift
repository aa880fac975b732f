import Foundation
import Testing

/// The README's five-minute tour, run as written: every `sh` block of the section, in order, in one bash.
@Suite("README tour")
struct ReadmeTourTests {
    /// The `sh` blocks of the README section `## Five-minute tour`, in order.
    static func tourBlocks() throws -> [String] {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: package.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "\n## Five-minute tour\n") else { throw SandboxError(message: "README has no Five-minute tour") }
        let rest = readme[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        var blocks: [String] = []
        var current: [Substring]?
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sh" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("every sh block of the tour runs, in order, on a new machine's HOME: alice, bob, carol and a service account")
    func tourRunsAsWritten() throws {
        let blocks = try Self.tourBlocks()
        #expect(blocks.count >= 5, "the tour lost its blocks")
        let sandbox = try Sandbox()
        let home = sandbox.path("home")
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/keys", withIntermediateDirectories: true)
        try sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", home + "/.ssh/id_ed25519"], in: home).check()
        for who in ["bob", "carol", "drafter"] {
            try sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", home + "/keys/" + who], in: home).check()
        }
        try sandbox.run("/usr/bin/env", ["git", "config", "--global", "user.name", "Alice Example"], in: home).check()
        try sandbox.run("/usr/bin/env", ["git", "config", "--global", "user.email", "alice@example.com"], in: home).check()
        let bin = sandbox.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/sigit", withDestinationPath: Sandbox.sigitBinary)
        let work = sandbox.path("work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        // Echo each command (set -x) so a failure shows the line of the README that failed.
        let script = "set -euo pipefail -x\n" + blocks.joined(separator: "\n")
        let result = try sandbox.run("/bin/bash", ["-c", script], in: work,
                                     extra: ["PATH": bin + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin"), "SIGIT_SIGNING_KEY": ""])
        #expect(result.status == 0, "the tour stopped at:\n\(result.stderr.split(separator: "\n").suffix(15).joined(separator: "\n"))")

        // What the tour claims, checked from the outside.
        let alice = work + "/alice"
        let status = try sandbox.run(Sandbox.sigitBinary, ["status", "nda-acme", "--check"], in: alice)
        #expect(status.status == 0, "nda-acme is not completed: \(status.stdout) \(status.stderr)")
        let voided = try sandbox.run(Sandbox.sigitBinary, ["status", "--json"], in: alice)
        #expect(voided.stdout.contains("nda-globex") && voided.stdout.contains("voided"), "\(voided.stdout)")
        #expect(FileManager.default.fileExists(atPath: alice + "/evidence/VERIFY.md"))
        #expect(FileManager.default.fileExists(atPath: alice + "/nda-acme.html"))
        let unsigned = try sandbox.run("/usr/bin/env", ["git", "log", "--no-merges", "--format=%G?"], in: alice).check()
        #expect(!unsigned.stdout.isEmpty && unsigned.stdout.split(separator: "\n").allSatisfy { $0 == "G" }, "git did not verify every commit: \(unsigned.stdout)")
        let merges = try sandbox.run("/usr/bin/env", ["git", "log", "--merges", "--format=%H"], in: alice).check()
        #expect(!merges.stdout.isEmpty, "the parallel signatures were not joined by a merge")
    }
}
