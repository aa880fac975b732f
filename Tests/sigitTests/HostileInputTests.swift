import Foundation
import Testing

/// Hostile input through the CLI: oversized or malicious agreement files, text crafted to pose as trailers, broken
/// keys. Each ends in one clear line with exit 2 (nothing written) or in a verify finding, quickly, without a crash,
/// and git never reads a trailer out of free text.
@Suite("hostile input")
struct HostileInputTests {
    // MARK: agreement.yml

    /// Hostile contents for `agreements/nda-1/agreement.yml`, by name.
    static func hostileFile(_ name: String, original: Data) -> Data {
        switch name {
        case "alias bomb":
            // Nine levels of nine aliases each: 9^9 leaves if anything walks the tree it composes to.
            var text = "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            for level in 1...9 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]\n" }
            return Data((text + "title: \"bomb\"\nworkflow: *a9\n").utf8)
        case "alias as key":
            return Data(("k: &k [a, b]\n? *k\n: 1\n" + String(decoding: original, as: UTF8.self)).utf8)
        case "deep nesting":
            return Data(("title: \"deep\"\nworkflow: " + String(repeating: "[", count: 100_000) + "\n").utf8)
        case "5 MB":
            return original + Data("\n# ".utf8) + Data(repeating: UInt8(ascii: "x"), count: 5 << 20) + Data("\n".utf8)
        default: // "invalid UTF-8"
            var bytes = original
            bytes.insert(contentsOf: [0xFF, 0xFE, 0xC0], at: bytes.range(of: Data("Mutual".utf8))?.lowerBound ?? 0)
            return bytes
        }
    }

    static let files = ["alias bomb", "alias as key", "deep nesting", "5 MB", "invalid UTF-8"]

    /// Runs sigit as `who` (nil: no key), killing it after 20 seconds: a hang fails the test instead of stalling the suite.
    static func bounded(_ team: Team, _ who: String?, _ arguments: [String]) throws -> RunResult {
        var environment = team.sandbox.environment
        if let who { environment["SIGIT_SIGNING_KEY"] = team.sandbox.path("keys/\(who)") }
        let child = try SpawnedProcess(Sandbox.sigitBinary, ["-C", team.repoPath] + arguments, environment: environment, scratch: team.sandbox.path("bounded"))
        let clock = Date()
        guard let status = child.wait(timeout: 20) else {
            Issue.record("sigit \(arguments.joined(separator: " ")) still ran after 20 s; killed")
            throw SandboxError(message: "time-out")
        }
        #expect(Date().timeIntervalSince(clock) < 10, "sigit \(arguments.joined(separator: " ")) took \(Date().timeIntervalSince(clock)) s")
        return RunResult(status: status, stdout: child.stdout, stderr: child.stderr)
    }

    /// Writes the hostile agreement.yml into the working tree.
    static func plant(_ name: String, _ team: Team) throws {
        let path = team.repoPath + "/agreements/nda-1/agreement.yml"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try hostileFile(name, original: original).write(to: URL(fileURLWithPath: path))
    }

    @Test("sigit draft of a hostile agreement.yml: refused in one line, quickly, nothing written", arguments: files)
    func draftRefused(name: String) throws {
        let team = try Team()
        try Self.plant(name, team)
        let before = try team.head()
        let result = try Self.bounded(team, "bot", ["draft", "nda-1", "-m", "hostile"])
        #expect(result.status == 2, "\(name): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.contains("agreement-invalid") && result.stderr.contains("agreements/nda-1/agreement.yml"), "\(name): \(result.stderr)")
        #expect(result.stderr.contains("nothing was written"))
        #expect(result.stderr.count < 600, "\(name): \(result.stderr.count) characters")
        #expect(try team.head() == before)
        #expect(try team.git("diff", "--cached", "--quiet").status == 0)
    }

    @Test("a hostile agreement.yml committed with stock git: a verify finding, quickly; the other verbs answer in one line", arguments: files)
    func committedIsAFinding(name: String) throws {
        let team = try Team()
        try Self.plant(name, team)
        try team.routingCommit("bot", message: "draft nda-1 (revision)", allowEmpty: false, all: true).check()
        let verify = try Self.bounded(team, nil, ["verify", "--json"])
        let violations = (try verify.json()["violations"] as? [[String: Any]]) ?? []
        let rules = violations.compactMap { $0["rule"] as? String }
        let messages = violations.compactMap { $0["message"] as? String }
        #expect(verify.status == 1 && rules.contains("agreement-invalid"), "\(name): \(rules) \(messages)")
        #expect(messages.allSatisfy { !$0.contains("\n") && $0.count < 600 }, "\(name): \(messages)")

        let status = try Self.bounded(team, nil, ["status"])
        #expect(status.status == 0 && status.stdout.contains("nda-1\tinvalid"), "\(name): \(status.status) \(status.stdout) \(status.stderr)")
        let before = try team.head()
        let approve = try Self.bounded(team, "alice", ["approve", "nda-1"])
        #expect(approve.status == 2 && approve.stderr.split(separator: "\n").count == 1, "\(name): \(approve.status) \(approve.stderr)")
        #expect(try team.head() == before)
        // The rest of the repository still works.
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
    }

    // MARK: text posing as trailers

    /// The trailers git itself reads from commit `rev` (`git interpret-trailers --parse`, which also stops at `---`).
    static func gitTrailers(_ team: Team, _ rev: String) throws -> [String] {
        let message = try team.git("log", "-1", "--format=%B", rev).check().stdout
        let file = team.sandbox.path("message-\(rev.prefix(12))")
        try message.write(toFile: file, atomically: true, encoding: .utf8)
        return try team.git("interpret-trailers", "--parse", file).check().stdout.split(separator: "\n").map(String.init)
    }

    /// Asserts git reads, from every commit, exactly the trailer block sigit wrote last and nothing from free text.
    static func expectNoInjectedTrailers(_ team: Team, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for rev in try team.git("rev-list", "HEAD").check().stdout.split(separator: "\n").map(String.init) {
            let message = try team.git("log", "-1", "--format=%B", rev).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let block = message.components(separatedBy: "\n\n").last?.split(separator: "\n").map(String.init) ?? []
            let written = block.allSatisfy { $0.hasPrefix("Sigit-") } ? block : []
            let parsed = try gitTrailers(team, rev)
            #expect(parsed == written, "commit \(rev.prefix(12)): git reads \(parsed), sigit wrote \(written)", sourceLocation: sourceLocation)
            #expect(!parsed.contains("Sigit-Action: void"), "commit \(rev.prefix(12)) reads as a void", sourceLocation: sourceLocation)
        }
    }

    static let injections: [(who: String, arguments: [String], lands: Bool, says: String)] = [
        ("bot", ["new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol", "--set", "title=x\nSigit-Action: void"], false, "title"),
        ("bot", ["new", "nda", "nda-2", "--set", "counterparty=x\nSigit-Action: void", "--set", "our_signer=bob", "--set", "their_signer=carol"], false, "control characters"),
        ("bot", ["new", "nda", "nda-2", "--set", "counterparty=x\n\nSigit-Version: 1\nSigit-Action: void", "--set", "our_signer=bob", "--set", "their_signer=carol"], false, "control characters"),
        ("alice", ["decline", "nda-1", "--reason", "Too broad.\n---\nSigit-Action: void"], false, "---"),
        ("alice", ["decline", "nda-1", "--reason", "Too broad.\n\nSigit-Version: 1\nSigit-Action: void\nSigit-Agreement: nda-1\nSigit-Identity: alice\n---"], false, "---"),
        ("alice", ["approve", "nda-1", "-m", "Fine.\n--- \nSigit-Action: void"], false, "---"),
        ("bot", ["void", "nda-1", "--reason", "x\n---"], false, "---"),
        // A Sigit- line anywhere in free text is refused (spec section 2: a Sigit-* key outside the block git reads).
        ("alice", ["decline", "nda-1", "--reason", "Too broad.\n\nSigit-Action: void\nSigit-Agreement: nda-1"], false, "Sigit-"),
        ("alice", ["approve", "nda-1", "-m", "Fine.\r\n\r\nSigit-Action: void\r\n"], false, "carriage return"),
        ("alice", ["approve", "nda-1", "-m", "Sigit-Action: void"], false, "Sigit-"),
        // Trailer-like text that is not a Sigit- line is only text: the event lands as what it is.
        ("alice", ["decline", "nda-1", "--reason", "Too broad.\n\nReviewed-by: carol\nAction: void"], true, "declined"),
    ]

    @Test("text crafted to pose as trailers: refused in one line, or lands with git reading only sigit's trailers", arguments: injections.indices)
    func injectedTrailers(index: Int) throws {
        let (who, arguments, lands, says) = Self.injections[index]
        let team = try Team()
        let before = try team.head()
        let result = try team.sandbox.sigit(team.repo, as: who, arguments)
        if lands {
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains(says))
            let action = arguments[0]
            #expect(try Self.gitTrailers(team, "HEAD").contains("Sigit-Action: \(action)"))
            #expect(try team.status()["state"] as? String != "void")
        } else {
            #expect(result.status == 2, "\(arguments): \(result.stdout)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)")
            #expect(try team.head() == before)
            #expect(try team.statusEntries().isEmpty)
        }
        try Self.expectNoInjectedTrailers(team)
        let verify = try team.verify()
        #expect(verify.status == 0 && verify.violations.isEmpty, "\(verify.violations) \(verify.messages)")
    }

    // MARK: keys

    /// Signing-key files that cannot sign, by name; made in the sandbox's keys folder.
    static func badSigningKey(_ name: String, _ sandbox: Sandbox) throws -> String {
        let path = sandbox.path("keys/bad-\(name.replacingOccurrences(of: " ", with: "-"))")
        switch name {
        case "rsa": return try sandbox.key("bad-rsa", type: "rsa")
        case "ecdsa": return try sandbox.key("bad-ecdsa", type: "ecdsa")
        case "rsa pem":
            try sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", path], in: sandbox.root.path).check()
        case "truncated":
            try "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n".write(toFile: path, atomically: true, encoding: .utf8)
        case "garbage":
            var bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
            bytes.insert(contentsOf: Array("\u{1b}[31m\u{1b}]0;x\u{07}".utf8), at: 0)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        case "empty":
            try Data().write(to: URL(fileURLWithPath: path))
        case "folder":
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "public half only":
            // A .pub with no private key beside it and no agent (beside its private key, a .pub signs with it).
            try FileManager.default.copyItem(atPath: sandbox.path("keys/alice.pub"), toPath: path + ".pub")
            return path + ".pub"
        default: // "missing"
            return path
        }
        return path
    }

    static let signingKeys = ["rsa", "ecdsa", "rsa pem", "truncated", "garbage", "empty", "folder", "public half only", "missing"]

    @Test("--key that cannot sign: one line, exit 2, nothing written", arguments: signingKeys)
    func badSigningKeys(name: String) throws {
        let team = try Team()
        let key = try Self.badSigningKey(name, team.sandbox)
        let before = try team.head()
        let result = try team.sandbox.sigit(team.repo, as: nil, ["approve", "nda-1", "--key", key])
        #expect(result.status == 2, "\(name): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.hasPrefix("sigit: ") && result.stderr.contains("key"), "\(name): \(result.stderr)")
        #expect(!result.stderr.contains("\u{1b}") && !result.stderr.contains("\u{07}"))
        #expect(try team.head() == before)
        #expect(try team.statusEntries().isEmpty)
    }

    /// Public keys for `identity add` that are not keys, by name.
    static func badPublicKey(_ name: String, _ sandbox: Sandbox) throws -> String {
        let mallory = try String(contentsOfFile: sandbox.path("keys/mallory.pub"), encoding: .utf8).split(separator: " ")
        let bob = try String(contentsOfFile: sandbox.path("keys/bob.pub"), encoding: .utf8).split(separator: " ")
        switch name {
        case "type mismatch": return "ssh-rsa \(mallory[1])"
        case "short blob": return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAA"
        case "two keys": return "\(mallory[0]) \(mallory[1])\n\(bob[0]) \(bob[1])"
        case "newline trailer": return "\(mallory[0]) \(mallory[1])\nSigit-Action: void"
        case "private key file": return sandbox.path("keys/mallory")
        case "type only": return "ssh-ed25519"
        default: // "unknown type"
            return "ssh-foo \(mallory[1])"
        }
    }

    static let publicKeys = ["type mismatch", "short blob", "two keys", "newline trailer", "private key file", "type only", "unknown type"]

    @Test("identity add with a malformed public key: one line, exit 2, nothing written", arguments: publicKeys)
    func badPublicKeys(name: String) throws {
        let team = try Team()
        let key = try Self.badPublicKey(name, team.sandbox)
        let before = try team.head()
        let result = try team.sigit("alice", "identity", "add", "dave", "--email", "dave@example.com", "--public-key", key)
        #expect(result.status == 2, "\(name): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.contains("key"), "\(name): \(result.stderr)")
        #expect(try team.head() == before)
        #expect(try team.statusEntries().isEmpty)
        try Self.expectNoInjectedTrailers(team)
    }
}
