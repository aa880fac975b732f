import Foundation
import Testing

extension Team {
    /// A bare copy of the team repository at `remote.git`, added to it as origin with main tracking origin/main.
    @discardableResult
    func makeRemote(_ name: String = "remote.git") throws -> String {
        try sandbox.run("/usr/bin/env", ["git", "clone", "-q", "--bare", repo, name], in: sandbox.root.path).check()
        try git("remote", "add", "origin", sandbox.path(name)).check()
        try git("fetch", "-q", "origin").check()
        try git("branch", "-q", "--set-upstream-to=origin/main", "main").check()
        return sandbox.path(name)
    }

    /// Runs git in the team repository, with the arguments as an array.
    @discardableResult
    func git(_ arguments: [String]) throws -> RunResult {
        try sandbox.run("/usr/bin/env", ["git"] + arguments, in: sandbox.path(repo))
    }

    /// A second working clone `name` of the bare remote.
    func clone(_ name: String, from remote: String = "remote.git") throws {
        try sandbox.run("/usr/bin/env", ["git", "clone", "-q", remote, name], in: sandbox.root.path).check()
        try sandbox.git(name, "config", "user.name", "Someone").check()
        try sandbox.git(name, "config", "user.email", "someone@example.com").check()
    }

    /// The commit a branch (or any revision) names in the repository or bare remote at `directory`.
    func revision(_ spec: String, in directory: String) throws -> String {
        try sandbox.run("/usr/bin/env", ["git", "rev-parse", "--verify", spec], in: sandbox.path(directory)).check()
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
