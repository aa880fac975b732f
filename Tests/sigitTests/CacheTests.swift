import Foundation
import Testing

/// The signature cache under .git/sigit/cache: same answers as without it, never trusted when damaged or foreign.
@Suite("signature cache")
struct CacheTests {
    var cacheFile: String { "repo/.git/sigit/cache/signatures-v1" }

    @Test("a walk writes the cache; verify gives the same findings with it, without it and with --no-cache")
    func sameAnswers() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.handApprove("mallory", step: "signatures").check()  // a violation the cache must not hide
        try? FileManager.default.removeItem(atPath: team.sandbox.path(cacheFile))  // the writes above made one
        let cold = try team.sigit(nil, "verify", "--json", "--no-cache")
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path(cacheFile)), "--no-cache neither reads nor writes it")
        let first = try team.sigit(nil, "verify", "--json")
        #expect(FileManager.default.fileExists(atPath: team.sandbox.path(cacheFile)))
        let warm = try team.sigit(nil, "verify", "--json")
        #expect(cold.status == 1 && first.status == 1 && warm.status == 1)
        #expect(cold.stdout == first.stdout && first.stdout == warm.stdout)
        #expect(warm.stdout.contains("unknown-key"))
    }

    @Test("a damaged, truncated or foreign cache (another repository's) is ignored and rebuilt, never trusted in part")
    func neverTrustedWhenDamaged() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit(nil, "verify").check()
        let path = team.sandbox.path(cacheFile)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))

        // An unsigned commit is cached as unsigned; flip bytes near the end (the last entries) and the checksum fails.
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nunsigned\n" }
        try team.git("commit", "-q", "-am", "unsigned change").check()
        #expect(try team.sigit(nil, "verify").status == 1)
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        damaged[damaged.count - 1] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: path))
        let result = try team.sigit(nil, "verify", "--json")
        #expect(result.status == 1 && result.stdout.contains("unsigned"), "\(result.stdout)")

        // Truncated, empty, garbage: each is ignored.
        for bytes in [good.prefix(40), Data(), Data("not a cache".utf8)] {
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(try team.sigit(nil, "verify").status == 1)
        }

        // Another repository's cache (same history, other place) does not count: the checksum binds the path.
        try team.sandbox.run("/bin/cp", ["-a", "repo", "copy"], in: team.sandbox.root.path).check()
        let copied = team.sandbox.path("copy/.git/sigit/cache/signatures-v1")
        let before = try Data(contentsOf: URL(fileURLWithPath: copied))
        try team.sandbox.run(Sandbox.sigitBinary, ["verify"], in: team.sandbox.path("copy"))
        let after = try Data(contentsOf: URL(fileURLWithPath: copied))
        #expect(before != after, "the copy rebuilt its own cache instead of using the original's")
    }

    /// `sigit status --json` and `status nda-1 --json`, through the snapshot and by a whole walk without any cache.
    func statuses(_ team: Team) throws -> (snapshot: [String], whole: [String]) {
        var snapshot: [String] = [], whole: [String] = []
        for args in [["status", "--json"], ["status", "nda-1", "--json"]] {
            snapshot.append(try team.sigit(nil, args).check().stdout)
            whole.append(try team.sandbox.run(Sandbox.sigitBinary, args, in: team.sandbox.path("repo"), extra: ["SIGIT_NO_CACHE": "1"]).check().stdout)
        }
        return (snapshot, whole)
    }

    @Test("the state snapshot: status and the agreement verbs resume from it and say exactly what a whole walk says")
    func snapshotMatchesWholeWalk() throws {
        let team = try Team()
        let snapshotFile = team.sandbox.path("repo/.git/sigit/cache/state-v2")
        var (a, b) = try statuses(team)
        #expect(a == b)
        #expect(FileManager.default.fileExists(atPath: snapshotFile))
        // Writes resume from it too; each step is compared with a whole walk. A resumed walk of a few commits leaves
        // the file as it was (a whole walk would have rewritten it), so this shows the snapshot was used.
        let saved = try Data(contentsOf: URL(fileURLWithPath: snapshotFile))
        try team.sigit("alice", "approve", "nda-1", "-m", "ok").check()
        (a, b) = try statuses(team)
        #expect(a == b)
        #expect(try Data(contentsOf: URL(fileURLWithPath: snapshotFile)) == saved, "approve and status resumed from the snapshot")
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA late clause.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "late clause").check()
        try team.sigit("bot", "send", "nda-1").check()
        try team.sigit("alice", "approve", "nda-1").check()
        (a, b) = try statuses(team)
        #expect(a == b)
        // Parallel signatures joined by a merge: not a straight line, so a whole walk runs, then the snapshot moves on.
        let fork = try team.tip()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.git("checkout", "-q", "-b", "carol", fork).check()
        try team.sigit("carol", "approve", "nda-1").check()
        try team.git("checkout", "-q", "main").check()
        try team.git("merge", "-q", "--no-edit", "--no-gpg-sign", "carol").check()
        (a, b) = try statuses(team)
        #expect(a == b && a[1].contains("\"completed\""), "\(a[1])")
        // A damaged snapshot is ignored.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: snapshotFile))
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: snapshotFile))
        (a, b) = try statuses(team)
        #expect(a == b)
        try "sigit-state-snapshot 2\ngarbage".write(toFile: snapshotFile, atomically: true, encoding: .utf8)
        (a, b) = try statuses(team)
        #expect(a == b)
    }
}
