import Foundation
import Testing

/// `sigit sync` over ssh:// through libgit2 (libssh2) against a real OpenSSH server on 127.0.0.1 started by the test
/// (LoopbackSSHServer): key file from SIGIT_SSH_KEY, ssh-agent, a refused key, an unknown host key.
@Suite("ssh remote")
struct SSHRemoteTests {
    /// A team whose repository and clone `other` (when `clone`) use the bare remote through the server, and the
    /// transport key `keys/transport` (not a signing key) the server accepts.
    func setUp(clone: Bool = false) throws -> (team: Team, server: LoopbackSSHServer, transport: String, url: String) {
        let team = try Team()
        let transport = try team.sandbox.key("transport")
        let server = try LoopbackSSHServer(sandbox: team.sandbox, authorizing: [transport + ".pub"])
        try team.makeRemote()
        let url = server.url(team.sandbox.path("remote.git"))
        try team.git("remote", "set-url", "origin", url).check()
        if clone {
            try team.clone("other")
            try team.sandbox.git("other", "remote", "set-url", "origin", url).check()
        }
        return (team, server, transport, url)
    }

    /// `sigit sync` in `directory` signing as `who`, with `extra` environment; killed (and recorded) after 60 s,
    /// so a credential loop fails the test instead of hanging it.
    func sync(_ sandbox: Sandbox, in directory: String = "repo", as who: String, extra: [String: String],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        var environment = sandbox.environment.merging(extra) { _, new in new }
        environment["SIGIT_SIGNING_KEY"] = sandbox.path("keys/\(who)")
        let child = try SpawnedProcess(Sandbox.sigitBinary, ["-C", sandbox.path(directory), "sync"], environment: environment,
                                     scratch: sandbox.path("sync-\(UUID().uuidString)"))
        guard let status = child.wait(timeout: 60) else {
            Issue.record("sigit sync hung: killed after 60 s; stderr: \(child.stderr)", sourceLocation: sourceLocation)
            throw SandboxError(message: "sigit sync hung")
        }
        return RunResult(status: status, stdout: child.stdout, stderr: child.stderr)
    }

    func count(_ text: String, in log: String) -> Int {
        log.components(separatedBy: text).count - 1
    }

    @Test("two clones sync over ssh with a key file: push, fast-forward, parallel approvals joined by a signed merge on the remote")
    func twoClones() throws {
        let (team, server, transport, _) = try setUp(clone: true)
        let sandbox = team.sandbox
        let key = ["SIGIT_SSH_KEY": transport]

        try team.sigit("alice", "approve", "nda-1").check()
        let pushed = try sync(sandbox, as: "alice", extra: key).check().stdout
        #expect(pushed.contains("pushed"), "\(pushed)")
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))

        let forward = try sync(sandbox, in: "other", as: "carol", extra: key).check().stdout
        #expect(forward.contains("fast-forwarded"), "\(forward)")
        #expect(try team.revision("HEAD", in: "other") == (try team.tip()))

        // Both sign in parallel; carol syncs after bob pushed: a signed merge commit, pushed over ssh.
        try team.sigit("bob", "approve", "nda-1", "-m", "for us").check()
        try sandbox.sigit("other", as: "carol", ["approve", "nda-1", "-m", "for Acme"]).check()
        try sync(sandbox, as: "bob", extra: key).check()
        let bobTip = try team.tip()
        #expect(try team.revision("main", in: "remote.git") == bobTip)
        let carolTip = try team.revision("HEAD", in: "other")
        let merged = try sync(sandbox, in: "other", as: "carol", extra: key).check().stdout
        #expect(merged.contains("merged with signed merge commit") && merged.contains("pushed"), "\(merged)")
        let merge = try team.revision("HEAD", in: "other")
        let parents = try sandbox.git("other", "rev-list", "--parents", "-n", "1", "HEAD").check().stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        #expect(parents == [merge, carolTip, bobTip], "the merge joins carol's and bob's commits, never a rebase")
        #expect(try team.revision("main", in: "remote.git") == merge, "the merge reached the bare remote")
        #expect(try sandbox.git("other", "verify-commit", "HEAD").status == 0, "stock git verifies the merge signature")

        let back = try sync(sandbox, as: "bob", extra: key).check().stdout
        #expect(back.contains("fast-forwarded"), "\(back)")
        #expect(try team.tip() == merge)
        #expect(try team.status()["state"] as? String == "completed")
        #expect(try team.verify().status == 0)

        // Every sync went through sshd with the transport key (fetch and push are a connection each).
        let fingerprint = try sandbox.run("/usr/bin/env", ["ssh-keygen", "-l", "-f", transport + ".pub"], in: sandbox.root.path).check()
            .stdout.split(separator: " ")[1]
        #expect(count("Accepted publickey for \(server.user) from 127.0.0.1", in: server.log) == 8, "\(server.log)")
        #expect(server.log.contains(String(fingerprint)))
    }

    @Test("a refused transport key, no key at all, or an unknown host key: sync fails at once with a clear error and nothing moves")
    func refused() throws {
        let (team, server, transport, _) = try setUp()
        let sandbox = team.sandbox
        try team.sigit("alice", "approve", "nda-1").check()
        let tip = try team.tip()
        let remote = try team.revision("main", in: "remote.git")
        let tracking = try team.revision("refs/remotes/origin/main", in: "repo")
        func nothingMoved(_ sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(try team.tip() == tip, sourceLocation: sourceLocation)
            #expect(try team.revision("main", in: "remote.git") == remote, sourceLocation: sourceLocation)
            #expect(try team.revision("refs/remotes/origin/main", in: "repo") == tracking, sourceLocation: sourceLocation)
        }

        // mallory's key is a valid key the server does not accept; offered once, not until sshd hangs up.
        let mallory = sandbox.path("keys/mallory")
        let started = Date()
        let result = try sync(sandbox, as: "alice", extra: ["SIGIT_SSH_KEY": mallory])
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status != 0 && result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot fetch main from origin") && result.stderr.contains("authentication")
                && result.stderr.contains(mallory), "\(result.stderr)")
        #expect(count("Failed publickey for \(server.user)", in: server.log) == 1, "\(server.log)")
        try nothingMoved()

        // No agent, no SIGIT_SSH_KEY, no ~/.ssh/id_ed25519: nothing to offer.
        let none = try sync(sandbox, as: "alice", extra: [:])
        #expect(none.status != 0 && none.stderr.contains("ssh authentication as \(server.user) needs a key"), "\(none.stderr)")
        try nothingMoved()

        // libgit2 checks the host key against ~/.ssh/known_hosts: a server it does not know is refused.
        let knownHosts = sandbox.path("home/.ssh/known_hosts")
        let impostor = try String(contentsOfFile: try sandbox.key("impostor-host") + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(server.port) \(impostor)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        let stranger = try sync(sandbox, as: "alice", extra: ["SIGIT_SSH_KEY": transport])
        #expect(stranger.status != 0 && stranger.stderr.contains("hostkey"), "\(stranger.stderr)")
        try nothingMoved()

        // The same sync with the right host key goes through.
        try "".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        try server.trustHostKey()
        #expect(try sync(sandbox, as: "alice", extra: ["SIGIT_SSH_KEY": transport]).check().stdout.contains("pushed"))
        #expect(try team.revision("main", in: "remote.git") == tip)
    }

    @Test("ssh-agent: its key is used with no key file; an agent holding only a refused key falls back to SIGIT_SSH_KEY")
    func agent() throws {
        let (team, server, transport, _) = try setUp()
        let sandbox = team.sandbox
        let agent = try LoopbackSSHAgent(sandbox: sandbox)

        // The agent holds mallory's key only: refused, then the key file is offered and accepted.
        try agent.add(sandbox.path("keys/mallory"))
        try team.sigit("alice", "approve", "nda-1").check()
        let fallback = try sync(sandbox, as: "alice", extra: ["SSH_AUTH_SOCK": agent.socket, "SIGIT_SSH_KEY": transport]).check().stdout
        #expect(fallback.contains("pushed"), "\(fallback)")
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))

        // With the transport key in the agent, no key file at all.
        try agent.add(transport)
        #expect(try agent.keys().count == 2)
        try team.sigit("bob", "approve", "nda-1").check()
        let viaAgent = try sync(sandbox, as: "bob", extra: ["SSH_AUTH_SOCK": agent.socket]).check().stdout
        #expect(viaAgent.contains("pushed"), "\(viaAgent)")
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))

        // A stale SSH_AUTH_SOCK (no agent behind it) does not stop the key file.
        try team.sigit("alice", "role", "add", "legal", "carol").check()
        let stale = try sync(sandbox, as: "alice", extra: ["SSH_AUTH_SOCK": sandbox.path("gone.sock"), "SIGIT_SSH_KEY": transport])
        #expect(stale.status == 0 && stale.stdout.contains("pushed"), "\(stale.stderr)")
        #expect(try team.revision("main", in: "remote.git") == (try team.tip()))
        #expect(count("Accepted publickey for \(server.user)", in: server.log) >= 4, "\(server.log)")
    }
}
