import Foundation
import Testing

/// Several sigit processes writing in one working repository at the same moment: the compare-and-swap and the
/// working-tree lock keep every reported success in history, the index intact, and a loser gets one line saying
/// to run the command again.
@Suite("concurrent writers in one repository", .serialized)
struct ConcurrencyTests {
    /// Rounds; SIGIT_CONCURRENCY_ROUNDS overrides.
    static let rounds = ProcessInfo.processInfo.environment["SIGIT_CONCURRENCY_ROUNDS"].flatMap { Int($0) } ?? 20

    /// A template with one step that alice, bob and carol must all approve, in parallel.
    static func trioTemplate(_ sandbox: Sandbox) throws -> String {
        let folder = sandbox.path("templates/trio")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
        # Three signers at once.
        title: "Trio {{subject}}"
        documents: [text.md]
        workflow:
          - step: signatures
            approvers: [alice, bob, carol]
            require: all
        """.write(toFile: folder + "/agreement.yml", atomically: true, encoding: .utf8)
        try "Agreement about {{subject}}.\n".write(toFile: folder + "/text.md", atomically: true, encoding: .utf8)
        return sandbox.path("templates")
    }

    /// One writer of a round.
    struct Writer {
        let who: String
        let arguments: [String]
        var approves: Bool { arguments.first == "approve" }
    }

    @Test("three approvers and a drafter or two at once, many rounds: no approval lost, losers told to retry, history and index clean")
    func simultaneousWriters() throws {
        let team = try Team(nda: false)
        team.sandbox.environment["SIGIT_TEMPLATE_PATH"] = try Self.trioTemplate(team.sandbox)
        let scratch = team.sandbox.path("child")
        let clock = Date()
        var retried: [String: Int] = [:]
        var landed = 0

        for round in 1...Self.rounds {
            let id = "trio-\(round)"
            try team.sigit("bot", "new", "trio", id, "--set", "subject=round \(round)").check()
            try team.sigit("bot", "send", id).check()
            var writers = ["alice", "bob", "carol"].map { Writer(who: $0, arguments: ["approve", id, "-m", "Round \(round), \($0)."]) }
            // Meanwhile the bot drafts a new agreement (rewrites the index and working tree) and revises the last one.
            writers.append(Writer(who: "bot", arguments: ["new", "nda", "side-\(round)", "--set", "counterparty=Side \(round)", "--set", "our_signer=bob", "--set", "their_signer=carol"]))
            if round > 1 {
                let file = team.repoPath + "/agreements/side-\(round - 1)/nda.md"
                try (try String(contentsOfFile: file, encoding: .utf8) + "\nRevised in round \(round).\n").write(toFile: file, atomically: true, encoding: .utf8)
                writers.append(Writer(who: "bot", arguments: ["draft", "side-\(round - 1)", "-m", "Revised in round \(round)"]))
            }
            let before = try team.head()

            let children = try writers.enumerated().map { index, writer in
                var environment = team.sandbox.environment
                environment["SIGIT_SIGNING_KEY"] = team.sandbox.path("keys/\(writer.who)")
                return try SpawnedProcess(Sandbox.sigitBinary, ["-C", team.repoPath] + writer.arguments, environment: environment, scratch: scratch + "-\(index)")
            }
            var losers: [Writer] = []
            var commits: [String: String] = [:]
            for (writer, child) in zip(writers, children) {
                let status = child.wait()
                let label = "round \(round), \(writer.who): sigit \(writer.arguments.joined(separator: " "))"
                if status == 0 {
                    // "approved trio-1 as bob in 1a2b3c4d5e6f; ..." / "drafted agreements/x from nda in 1a2b3c4d5e6f; ..."
                    let words = child.stdout.split(separator: " ").map(String.init)
                    let short = words.first { $0.count >= 12 && $0.prefix(12).allSatisfy(\.isHexDigit) }.map { String($0.prefix(12)) }
                    guard let commit = short else {
                        Issue.record("\(label): no commit in \(child.stdout)")
                        continue
                    }
                    commits[writer.who + " " + writer.arguments[0]] = commit
                    // Every success is in the branch's history.
                    #expect(try team.git("merge-base", "--is-ancestor", commit, "HEAD").status == 0, "\(label): commit \(commit) is not in history")
                    landed += 1
                } else {
                    // A loser: exit 2, one line, says to run it again; the rerun below must land.
                    let lines = child.stderr.split(separator: "\n")
                    #expect(status == 2 && lines.count == 1 && child.stderr.contains("run the command again"), "\(label): exit \(status): \(child.stderr)")
                    retried[child.stderr.trimmingCharacters(in: .whitespacesAndNewlines), default: 0] += 1
                    losers.append(writer)
                }
            }
            let landedNow = writers.count - losers.count
            // The branch moved by exactly one commit per success, in a line (no merge, no lost update).
            #expect(try team.git("rev-list", "--count", "\(before)..HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(landedNow)")
            #expect(try team.git("rev-list", "--min-parents=2", "\(before)..HEAD").check().stdout.isEmpty)
            let approvals = try team.messages("\(before)..HEAD").filter { $0.contains("Sigit-Action: approve") && $0.contains("Sigit-Agreement: \(id)\n") }
            #expect(approvals.count == writers.filter { $0.approves && !losers.map(\.who).contains($0.who) }.count, "round \(round): \(approvals.count) approvals in history")

            // Everyone who was told to retry does, one after the other.
            for writer in losers {
                try team.sandbox.sigit(team.repo, as: writer.who, writer.arguments).check()
            }

            // Every approval counts, the agreement is complete, and the repository is whole.
            let status = try team.sigit(nil, "status", id, "--json").check().json()
            let slots = ((status["steps"] as? [[String: Any]])?.first?["slots"] as? [[String: Any]]) ?? []
            let approved = Set(slots.filter { $0["state"] as? String == "approved" }.compactMap { $0["identity"] as? String })
            #expect(approved == ["alice", "bob", "carol"], "round \(round): approved \(approved), slots \(slots)")
            #expect(status["state"] as? String == "completed", "round \(round): \(status["state"] ?? "nil")")
            let entries = try team.statusEntries()
            #expect(entries.isEmpty, "round \(round): git status shows \(entries)")
            #expect(team.lockFiles().isEmpty, "round \(round): \(team.lockFiles())")
            #expect(team.pendingPaths().isEmpty, "round \(round): \(team.pendingPaths())")
            let verify = try team.verify()
            #expect(verify.status == 0 && verify.violations.isEmpty, "round \(round): \(verify.violations) \(verify.messages)")
            if round % 5 == 0 || round == Self.rounds { #expect(try team.fsckProblems() == [], "round \(round)") }
        }
        print("ConcurrencyTests \(Self.rounds) rounds in \(String(format: "%.1f", Date().timeIntervalSince(clock))) s: \(landed) writes landed at once, told to retry: \(retried)")
    }

    @Test("a crowd of eight sends at once: each lands or gets the one-line retry message, and a rerun lands")
    func crowd() throws {
        let team = try Team(nda: false)
        let crowd = 8
        var told = 0
        for wave in 1...3 {
            let ids = (1...crowd).map { "crowd-\(wave)-\($0)" }
            for id in ids {
                try team.sigit("bot", "new", "nda", id, "--set", "counterparty=\(id)", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
            }
            let before = try team.head()
            var environment = team.sandbox.environment
            environment["SIGIT_SIGNING_KEY"] = team.sandbox.path("keys/bot")
            let children = try ids.enumerated().map { index, id in
                try SpawnedProcess(Sandbox.sigitBinary, ["-C", team.repoPath, "send", id], environment: environment, scratch: team.sandbox.path("crowd-\(index)"))
            }
            var losers: [String] = []
            for (id, child) in zip(ids, children) {
                let status = child.wait()
                if status == 0 { continue }
                let lines = child.stderr.split(separator: "\n")
                #expect(status == 2 && lines.count == 1 && child.stderr.contains("run the command again") && child.stderr.contains("nothing was written"),
                        "send \(id): exit \(status): \(child.stderr)")
                losers.append(id)
            }
            told += losers.count
            #expect(try team.git("rev-list", "--count", "\(before)..HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(crowd - losers.count)")
            for id in losers { try team.sigit("bot", "send", id).check() }
            for id in ids { #expect(try team.status(id)["state"] as? String == "in-progress", "\(id)") }
        }
        #expect(try team.statusEntries().isEmpty)
        #expect(team.lockFiles().isEmpty)
        #expect(try team.verify().status == 0)
        print("ConcurrencyTests crowd: \(told) of \(3 * crowd) sends told to run again")
    }
}
