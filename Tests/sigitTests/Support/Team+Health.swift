import Foundation
import Testing

/// Checks of a team repository's integrity after faults (kills, concurrent writers).
extension Team {
    /// The path of the team repository.
    var repoPath: String { sandbox.path(repo) }

    /// The commit the current branch points to.
    func head() throws -> String {
        try git("rev-parse", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What `git fsck --full --strict` reports besides dangling objects (which a refused or killed write may leave).
    func fsckProblems() throws -> [String] {
        let result = try git("fsck", "--full", "--strict", "--no-progress")
        let lines = (result.stdout + "\n" + result.stderr).split(separator: "\n").map(String.init)
        var problems = lines.filter { !$0.hasPrefix("dangling ") && !$0.isEmpty }
        if result.status != 0 { problems.append("git fsck exited \(result.status)") }
        return problems
    }

    /// Lock files (`*.lock`) anywhere under `.git`, relative to the repository.
    func lockFiles() -> [String] {
        let base = repoPath + "/.git"
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let item = walker.nextObject() as? String {
            if item.hasSuffix(".lock") { out.append(".git/" + item) }
        }
        return out.sorted()
    }

    /// The paths named by sigit's notes of unfinished working-tree updates (`.git/sigit/pending/`).
    func pendingPaths() -> [String] {
        let folder = repoPath + "/.git/sigit/pending"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.flatMap { name -> [String] in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
            return object["paths"] as? [String] ?? []
        }
    }

    /// `git status --porcelain` as (two-letter code, path) pairs.
    func statusEntries() throws -> [(code: String, path: String)] {
        try git("status", "--porcelain", "--untracked-files=all").check().stdout.split(separator: "\n").map { line in
            (String(line.prefix(2)), String(line.dropFirst(3)))
        }
    }

    /// The full messages of the commits in `range` (e.g. "abc..HEAD"), newest first.
    func messages(_ range: String) throws -> [String] {
        try git("log", "--format=%B%x00", range).check().stdout.split(separator: "\0").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { !$0.isEmpty }
    }
}
