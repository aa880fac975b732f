import Foundation
import Testing

/// sigit killed with SIGKILL at any moment leaves the branch at the old commit or at one new child of it, a clean
/// object store, no lock file that blocks the next run, and a working tree the next write puts right; and lock
/// files another process left are named, never deleted.
@Suite("killed and interrupted writes", .serialized)
struct KillLoopTests {
    /// Kills in the loop; SIGIT_KILL_ITERATIONS overrides.
    static let iterations = ProcessInfo.processInfo.environment["SIGIT_KILL_ITERATIONS"].flatMap { Int($0) } ?? 60

    /// One command of the scenario.
    struct Step {
        let verb: String
        let who: String
        let arguments: [String]
        /// The command drafts a revision: the working tree must hold an edit first.
        var edit = false
    }

    /// The life of agreement number `index`: every writing verb, each run until it lands.
    static func steps(_ index: Int) -> [Step] {
        let id = "kill-\(index)"
        return [
            Step(verb: "new", who: "bot", arguments: ["new", "nda", id, "--set", "counterparty=Acme \(index)", "--set", "our_signer=bob", "--set", "their_signer=carol"]),
            Step(verb: "send", who: "bot", arguments: ["send", id]),
            Step(verb: "approve", who: "alice", arguments: ["approve", id, "-m", "Legal checked it."]),
            Step(verb: "draft", who: "bot", arguments: ["draft", id, "-m", "Narrowed clause 4"], edit: true),
            Step(verb: "send", who: "bot", arguments: ["send", id]),
            Step(verb: "approve", who: "alice", arguments: ["approve", id]),
            Step(verb: "approve", who: "bob", arguments: ["approve", id]),
            index % 2 == 0 ? Step(verb: "approve", who: "carol", arguments: ["approve", id])
                : Step(verb: "void", who: "bot", arguments: ["void", id, "--reason", "Superseded"]),
        ]
    }

    /// Puts the edit a `draft` step commits into the working tree (once).
    static func prepare(_ step: Step, _ team: Team) throws {
        guard step.edit, let id = step.arguments.dropFirst().first else { return }
        let file = team.repoPath + "/agreements/\(id)/nda.md"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let marker = "Clause 4 is narrowed to the project.\n"
        if !text.contains(marker) { try (text + "\n" + marker).write(toFile: file, atomically: true, encoding: .utf8) }
    }

    /// Starts `sigit -C repo ARGS` as `who`.
    static func spawn(_ team: Team, _ step: Step, scratch: String) throws -> SpawnedProcess {
        var environment = team.sandbox.environment
        environment["SIGIT_SIGNING_KEY"] = team.sandbox.path("keys/\(step.who)")
        return try SpawnedProcess(Sandbox.sigitBinary, ["-C", team.repoPath] + step.arguments, environment: environment, scratch: scratch)
    }

    @Test("SIGKILL (and SIGINT, SIGTERM, SIGHUP) at random moments of new, send, approve, draft and void: old commit or one new child, fsck clean, verify clean")
    func killLoop() throws {
        let seed = SeededGenerator.seed(from: "SIGIT_FAULT_SEED")
        print("KillLoopTests seed \(seed) (replay with SIGIT_FAULT_SEED=\(seed))")
        var random = SeededGenerator(seed: seed)
        let team = try Team()
        let scratch = team.sandbox.path("child")
        let clock = Date()

        // Measure each verb once, unkilled, on agreement kill-0.
        var duration: [String: TimeInterval] = [:]
        for step in Self.steps(0) {
            try Self.prepare(step, team)
            let child = try Self.spawn(team, step, scratch: scratch)
            let status = child.wait()
            try #require(status == 0, "\(step.arguments): \(child.stderr)")
            duration[step.verb] = max(duration[step.verb] ?? 0, Date().timeIntervalSince(child.started))
        }
        print("KillLoopTests durations (s): \(duration.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.3f", $0.value))" }.joined(separator: ", "))")

        var agreement = 1
        var position = 0
        var tally: [String: Int] = [:]
        for iteration in 0..<Self.iterations {
            let step = Self.steps(agreement)[position]
            try Self.prepare(step, team)
            let old = try team.head()
            // Half the kills anywhere in the run, half in its last stretch, where the objects, the branch and the
            // working tree are written.
            let typical = duration[step.verb] ?? 0.05
            let delay = Bool.random(using: &random) ? Double.random(in: 0...(1.2 * typical), using: &random)
                : Double.random(in: (0.7 * typical)...(1.05 * typical), using: &random)
            // Mostly SIGKILL; every fourth or so a signal sigit can hold back (Ctrl-C, a closing terminal).
            let signal = [SIGKILL, SIGKILL, SIGKILL, SIGINT, SIGTERM, SIGHUP].randomElement(using: &random) ?? SIGKILL
            let child = try Self.spawn(team, step, scratch: scratch)
            usleep(UInt32(delay * 1_000_000))
            child.kill(signal)
            let status = child.wait()
            let context = "iteration \(iteration) (seed \(seed)), \(step.who): sigit \(step.arguments.joined(separator: " ")), signal \(signal) after \(String(format: "%.1f", delay * 1000)) ms, exit \(status)"
            if status != 0 && status != 128 + signal {
                Issue.record("\(context): \(child.stderr)")
            }
            if signal != SIGKILL {
                #expect(team.lockFiles().isEmpty, "\(context): a signal sigit can hold back left \(team.lockFiles())")
            }

            // The branch is at the old commit or at one new commit whose only parent is the old one.
            let new = try team.head()
            let moved = new != old
            if moved {
                #expect(try team.git("rev-parse", "\(new)^@").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines) == old, "\(context)")
            } else {
                #expect(status != 0, "\(context): exit 0 but the branch did not move")
            }
            tally[status == 0 ? "finished" : moved ? "killed after the branch moved" : "killed before the branch moved", default: 0] += 1

            #expect(try team.fsckProblems() == [], "\(context)")
            let verify = try team.verify()
            #expect(verify.status == 0, "\(context): \(verify.violations) \(verify.messages)")
            let (nextAgreement, nextPosition) = moved ? Self.advance(agreement, position) : (agreement, position)

            // A lock file left by the kill: the next run names it (or does not need it); the user then removes it.
            let locks = team.lockFiles()
            if !locks.isEmpty {
                tally["left a lock file", default: 0] += 1
                print("KillLoopTests \(context): left \(locks)")
                let next = Self.steps(nextAgreement)[nextPosition]
                try Self.prepare(next, team)
                let rerun = try Self.spawn(team, next, scratch: scratch)
                let code = rerun.wait()
                let lines = rerun.stderr.split(separator: "\n")
                #expect(code == 0 || (code == 2 && lines.count == 1 && locks.contains { rerun.stderr.contains($0) } && rerun.stderr.contains("remove that file")),
                        "\(context): with \(locks) left, the next run said (\(code)): \(rerun.stderr)")
                #expect(team.lockFiles() == locks, "\(context): sigit deleted a lock file")
                for lock in locks { try FileManager.default.removeItem(atPath: team.repoPath + "/" + lock) }
                (agreement, position) = code == 0 ? Self.advance(nextAgreement, nextPosition) : (nextAgreement, nextPosition)
                continue
            }

            // The index and working tree: clean, but for the edit a draft has yet to commit and the paths of a
            // working-tree update the kill interrupted (sigit left a note; the next write finishes it).
            let pending = team.pendingPaths()
            var allowed = pending
            if step.edit && !moved, let id = step.arguments.dropFirst().first { allowed.append("agreements/\(id)/nda.md") }
            let entries = try team.statusEntries()
            let unexplained = entries.filter { entry in !allowed.contains { entry.path == $0 || entry.path.hasPrefix($0 + "/") } }
            #expect(unexplained.isEmpty, "\(context): git status shows \(unexplained), notes cover \(pending)")
            if !pending.isEmpty && !entries.isEmpty { tally["interrupted a working-tree update", default: 0] += 1 }

            (agreement, position) = (nextAgreement, nextPosition)
        }

        // Run the next step to completion: it finishes any interrupted update and leaves everything clean.
        let step = Self.steps(agreement)[position]
        try Self.prepare(step, team)
        let child = try Self.spawn(team, step, scratch: scratch)
        #expect(child.wait() == 0, "final \(step.arguments): \(child.stderr)")
        let entries = try team.statusEntries()
        #expect(entries.isEmpty, "\(entries)")
        #expect(team.pendingPaths().isEmpty)
        #expect(team.lockFiles().isEmpty)
        #expect(try team.fsckProblems() == [])
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty, "\(verify.violations) \(verify.messages)")
        print("KillLoopTests \(Self.iterations) kills in \(String(format: "%.1f", Date().timeIntervalSince(clock))) s, reached agreement kill-\(agreement) step \(position): \(tally.sorted { $0.key < $1.key })")
    }

    /// The next step of the scenario.
    static func advance(_ agreement: Int, _ position: Int) -> (Int, Int) {
        position + 1 < steps(agreement).count ? (agreement, position + 1) : (agreement + 1, 0)
    }

    @Test("a write killed after the branch moved is finished by the next write")
    func interruptedCheckoutIsFinished() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        let head = try team.head()
        // What a kill between the branch move and the checkout leaves: the note, the index and working tree as before.
        try team.git("rm", "-r", "-q", "--cached", "agreements/nda-2").check()
        try FileManager.default.removeItem(atPath: team.repoPath + "/agreements/nda-2/nda.md")
        try Self.writeNote(team, commit: head, paths: ["agreements/nda-2"])
        #expect(try !team.statusEntries().isEmpty)

        try team.sigit("alice", "approve", "nda-1").check()
        let entries = try team.statusEntries()
        #expect(entries.isEmpty, "\(entries)")
        #expect(team.pendingPaths().isEmpty)
        #expect(FileManager.default.fileExists(atPath: team.repoPath + "/agreements/nda-2/nda.md"))
        #expect(try team.verify().status == 0)
    }

    @Test("a file the killed checkout wrote only in part is finished too (libgit2 writes in place)")
    func halfWrittenFileIsFinished() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        let head = try team.head()
        let file = team.repoPath + "/agreements/nda-2/nda.md"
        let full = try Data(contentsOf: URL(fileURLWithPath: file))
        try team.git("rm", "-r", "-q", "--cached", "agreements/nda-2").check()
        try full.prefix(full.count / 3).write(to: URL(fileURLWithPath: file))
        try Self.writeNote(team, commit: head, paths: ["agreements/nda-2"])

        try team.sigit("alice", "approve", "nda-1").check()
        let entries = try team.statusEntries()
        #expect(entries.isEmpty, "\(entries)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == full)
        #expect(team.pendingPaths().isEmpty)
    }

    @Test("finishing an interrupted update never overwrites what the user wrote since")
    func interruptedCheckoutKeepsUserEdits() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        let head = try team.head()
        try team.git("rm", "-r", "-q", "--cached", "agreements/nda-2").check()
        try "my own text\n".write(toFile: team.repoPath + "/agreements/nda-2/nda.md", atomically: true, encoding: .utf8)
        try Self.writeNote(team, commit: head, paths: ["agreements/nda-2"])

        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try String(contentsOfFile: team.repoPath + "/agreements/nda-2/nda.md", encoding: .utf8) == "my own text\n")
        #expect(team.pendingPaths().isEmpty)
    }

    @Test("a note whose commit never landed is dropped and changes nothing")
    func noteOfUnlandedWriteIsDropped() throws {
        let team = try Team()
        try Self.writeNote(team, commit: String(repeating: "ab", count: 20), paths: ["agreements/nda-1"])
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(team.pendingPaths().isEmpty)
        #expect(try team.statusEntries().isEmpty)
    }

    /// Writes a note the way sigit does before it moves the branch.
    static func writeNote(_ team: Team, commit: String, paths: [String]) throws {
        let folder = team.repoPath + "/.git/sigit/pending"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: ["commit": commit, "paths": paths])
        try data.write(to: URL(fileURLWithPath: folder + "/" + commit))
    }

    @Test("a branch lock left behind is named in one line, not deleted, and nothing is written")
    func staleBranchLock() throws {
        let team = try Team()
        let lock = team.repoPath + "/.git/refs/heads/main.lock"
        _ = FileManager.default.createFile(atPath: lock, contents: Data())
        let before = try team.head()
        let result = try team.sigit("alice", "approve", "nda-1")
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(lock) && result.stderr.contains("remove that file"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: lock))
        #expect(try team.head() == before)
        try FileManager.default.removeItem(atPath: lock)
        try team.sigit("alice", "approve", "nda-1").check()
    }

    @Test("an index lock left behind stops writes that rewrite files, named in one line; approvals need no index")
    func staleIndexLock() throws {
        let team = try Team()
        let lock = team.repoPath + "/.git/index.lock"
        _ = FileManager.default.createFile(atPath: lock, contents: Data())
        let before = try team.head()
        let result = try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol")
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(lock) && result.stderr.contains("remove that file") && result.stderr.contains("nothing was written"), "\(result.stderr)")
        #expect(try team.head() == before)
        #expect(FileManager.default.fileExists(atPath: lock))
        #expect(!FileManager.default.fileExists(atPath: team.repoPath + "/agreements/nda-2"))
        try team.sigit("alice", "approve", "nda-1").check()
        try FileManager.default.removeItem(atPath: lock)
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        #expect(try team.statusEntries().isEmpty)
    }

    @Test("a branch lock another process holds for a moment is waited for")
    func briefBranchLock() throws {
        let team = try Team()
        let lock = team.repoPath + "/.git/refs/heads/main.lock"
        _ = FileManager.default.createFile(atPath: lock, contents: Data())
        let release = Thread { usleep(400_000); try? FileManager.default.removeItem(atPath: lock) }
        release.start()
        try team.sigit("alice", "approve", "nda-1").check()
        #expect(try team.verify().status == 0)
    }
}
