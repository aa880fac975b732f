import Foundation
import Testing

/// The CI merge gate of docs/CI.md (`scripts/sigit-gate.sh`: `sigit verify A..B`, then `sigit status ID --check`),
/// run as CI runs it: on a fresh clone, trust root pinned, the pull request's head checked out.
@Suite("CI gate")
struct CIGateTests {
    static var gate: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/sigit-gate.sh").path
    }

    /// Clones the team repository as CI would, pins the root, checks out `head`, runs the gate on base..head.
    func runGate(_ team: Team, base: String, head: String, extra: [String: String] = [:]) throws -> RunResult {
        let ci = "ci-\(UUID().uuidString.prefix(8))"
        try team.sandbox.run("/usr/bin/env", ["git", "clone", "-q", "--no-local", team.sandbox.path("repo"), ci], in: team.sandbox.root.path).check()
        let root = try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.sandbox.git(ci, "config", "sigit.root", root).check()
        try team.sandbox.git(ci, "checkout", "-q", "--detach", head).check()
        return try team.sandbox.run("/bin/bash", [Self.gate, base, head], in: team.sandbox.path(ci), extra: ["SIGIT": Sandbox.sigitBinary].merging(extra) { $1 })
    }

    @Test("a pull request with an open agreement fails, passes once completed; an unsigned change fails naming its rule")
    func gate() throws {
        let team = try Team()
        let base = try team.tip()
        try team.git("checkout", "-q", "-b", "pr").check()
        try team.sigit("alice", "approve", "nda-1").check()
        let open = try runGate(team, base: base, head: try team.tip())
        #expect(open.status == 1 && open.stdout.contains("nda-1 is not completed"), "\(open.stdout) \(open.stderr)")
        #expect(try runGate(team, base: base, head: try team.tip(), extra: ["SIGIT_GATE_ALLOW_OPEN": "1"]).status == 0)

        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit("carol", "approve", "nda-1").check()
        let done = try runGate(team, base: base, head: try team.tip())
        #expect(done.status == 0 && done.stdout.contains("nda-1 completed") && done.stdout.contains("no violations"), "\(done.stdout) \(done.stderr)")

        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA clause nobody signed.\n" }
        try team.git("commit", "-q", "-am", "tweak").check()
        let bad = try runGate(team, base: base, head: try team.tip())
        #expect(bad.status == 1 && bad.stdout.contains("[unsigned]"), "\(bad.stdout) \(bad.stderr)")
        // A BASE the clone does not have is an error, not a pass; all zeros (a new branch) verifies from the root.
        let unknown = try runGate(team, base: String(repeating: "ab", count: 20), head: try team.tip())
        #expect(unknown.status == 2 && unknown.stderr.contains("names no commit"), "\(unknown.stderr)")
        let zeros = try runGate(team, base: String(repeating: "0", count: 40), head: try team.tip())
        #expect(zeros.status == 1 && zeros.stdout.contains("[unsigned]"), "\(zeros.stdout) \(zeros.stderr)")
    }
}
