import Foundation
import Testing

/// The command line itself: verbs, help, `--json`, `--digest`, completion and the man page.
@Suite("command line")
struct CommandLineTests {
    static let mistyped: [(arguments: [String], says: String)] = [
        (["aprove", "nda-1"], "sigit: unknown command 'aprove'; did you mean 'approve'?"),
        (["-C", ".", "stauts"], "sigit: unknown command 'stauts'; did you mean 'status'?"),
        (["--key", "KEYFILE", "sned", "nda-1"], "sigit: unknown command 'sned'; did you mean 'send'?"),
        (["identity", "lst"], "sigit: unknown command 'identity lst'; did you mean 'identity list'?"),
        (["frobnicate"], "sigit: unknown command 'frobnicate'; sigit --help lists the commands"),
        (["help", "nope"], "sigit: unknown command 'nope'; sigit --help lists the commands"),
        (["help", "aprove"], "sigit: unknown command 'aprove'; did you mean 'approve'?"),
    ]

    @Test("a mistyped verb, or sigit help with an unknown verb, is one line naming the closest verb; usage exit code, nothing written", arguments: mistyped.indices)
    func mistypedVerb(index: Int) throws {
        let (arguments, says) = Self.mistyped[index]
        let team = try Team()
        let before = try team.tip()
        let result = try team.sigit("alice", arguments.map { $0 == "KEYFILE" ? team.sandbox.path("keys/alice") : $0 })
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr == says + "\n", "\(arguments)")
        #expect(result.stdout.isEmpty)
        #expect(try team.tip() == before)
        #expect(try team.git("status", "--porcelain").stdout == "")
    }

    @Test("controls: known verbs, sigit help VERB and --version still work")
    func knownVerbs() throws {
        let team = try Team()
        #expect(try team.sigit(nil, "help", "approve").check().stdout.contains("USAGE: sigit approve"))
        #expect(try team.sigit(nil, "help", "identity", "list").check().stdout.contains("USAGE: sigit identity list"))
        #expect(try team.sigit(nil, "--version").check().stdout.hasPrefix("0.1.0"))
        #expect(try team.sigit(nil, "-C", ".", "status", "nda-1", "--json").check().json()["state"] as? String == "in-progress")
    }

    @Test("the help of a verb lists the global -C and --key, which work after the verb too; the root help lists them once")
    func globalOptionsInHelp() throws {
        let team = try Team()
        for arguments in [["approve", "--help"], ["help", "approve"], ["identity", "add", "--help"], ["hook", "install", "-h"]] {
            let help = try team.sigit(nil, arguments).check().stdout
            #expect(help.contains("GLOBAL OPTIONS:") && help.contains("-C <PATH>") && help.contains("--key <PATH>"), "\(arguments): \(help)")
        }
        let root = try team.sigit(nil, "--help").check().stdout
        #expect(!root.contains("GLOBAL OPTIONS:") && root.components(separatedBy: "-C <PATH>").count >= 2)
        // --key after the verb is the global one: approving with alice's key, no SIGIT_SIGNING_KEY, names alice.
        let approved = try team.sigit(nil, "approve", "nda-1", "--key", team.sandbox.path("keys/alice")).check().stdout
        #expect(approved.contains("as alice"), "\(approved)")
    }

    @Test("--digest takes sha256:<64 hex digits> in every verb; anything else is a malformed digest, nothing written", arguments: [
        ["approve", "nda-1", "--digest", "abc"], ["decline", "nda-1", "--reason", "no", "--digest", "sha256:xyz"],
        ["approve", "nda-1", "--digest", "sha256:" + String(repeating: "g", count: 64)], ["policy", "approve", "--digest", "abc"],
    ])
    func malformedDigest(arguments: [String]) throws {
        let team = try Team()
        let before = try team.tip()
        let result = try team.sigit("alice", arguments)
        let shown = arguments[arguments.count - 1]
        #expect(result.status == 2)
        #expect(result.stderr == "sigit: malformed digest '\(shown)': expected sha256:<64 hex digits>\n", "\(result.stderr)")
        #expect(try team.tip() == before)
        #expect(try team.git("status", "--porcelain").stdout == "")
        // Control: the digest in upper case is the same digest.
        if arguments[0] == "approve" {
            try team.sigit("alice", "approve", "nda-1", "--digest", try team.digest("nda-1").uppercased().replacingOccurrences(of: "SHA256:", with: "sha256:")).check()
        }
    }

    @Test("certificate --json is --format json; --json with another --format is a usage error")
    func certificateJSON() throws {
        let team = try Team()
        func withoutTime(_ object: [String: Any]) -> NSDictionary {
            var object = object
            object["generated"] = nil
            return object as NSDictionary
        }
        let flag = try team.sigit(nil, "certificate", "nda-1", "--json").check().json()
        let format = try team.sigit(nil, "certificate", "nda-1", "--format", "json").check().json()
        #expect(flag["schema"] as? String == "sigit-certificate/2")
        #expect(withoutTime(flag) == withoutTime(format))
        let both = try team.sigit(nil, "certificate", "nda-1", "--json", "--format", "md")
        #expect(both.status == 64 && both.stderr.contains("--json and --format md disagree") && both.stdout.isEmpty)
        #expect(try team.sigit(nil, "certificate", "nda-1", "--json", "--format", "json").status == 0)
    }

    @Test("a completed certificate has no Expires in any form; an interim one shows the deadline")
    func completedHasNoExpiry() throws {
        let team = try Team()
        let interim = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(interim.contains("<th>Expires</th>"))
        #expect((try team.sigit(nil, "certificate", "nda-1", "--json").check().json()["agreement"] as? [String: Any])?["expires"] is String)
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(html.contains("Certificate of Completion") && !html.contains("Expires"))
        #expect(!(try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout).contains("Expires"))
        let agreement = try #require(try team.sigit(nil, "certificate", "nda-1", "--json").check().json()["agreement"] as? [String: Any])
        #expect(agreement["state"] as? String == "completed" && agreement["expires"] == nil)
    }

    @Test("Markdown escaping stays out of plain text (sigit 0.1.0, times) but still stops autolinks (www., http://, e-mail)")
    func markdownPlainText() throws {
        let team = try Team()
        try team.sigit("alice", "decline", "nda-1", "--reason", "see www.evil.example, http://evil.example and x@evil.example; version 2.0.1 at 10:30").check()
        let markdown = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        #expect(markdown.contains("by sigit 0.1.0 (format 1)"), "\(markdown.suffix(200))")
        #expect(!markdown.contains("0\\.1\\.0"))
        #expect(markdown.contains("www\\.evil") && markdown.contains("http\\://evil") && markdown.contains("x\\@evil"))
        #expect(markdown.contains("version 2.0.1 at 10:30"))
    }

    // MARK: completion

    /// Asks sigit for the completions of an argument, the way the generated scripts do.
    func complete(_ team: Team, _ path: [String], _ argument: String, _ prefix: String, in directory: String? = nil) throws -> [String] {
        let words = ["sigit"] + path + [prefix]
        let result = try team.sandbox.run(Sandbox.sigitBinary, ["---completion"] + path + ["--", argument, String(words.count - 1), String(prefix.count)] + words,
                                          in: directory ?? team.sandbox.path(team.repo))
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("bash, zsh and fish complete agreement ids, identity names and template names from the repository")
    func completion() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        #expect(try complete(team, ["approve"], "positional@0", "") == ["nda-1", "nda-2"])
        #expect(try complete(team, ["certificate"], "positional@0", "nda-2") == ["nda-2"])
        #expect(try complete(team, ["delegate"], "--to", "") == ["alice", "bob", "bot", "carol"])
        #expect(try complete(team, ["new"], "positional@0", "n").contains("nda"))
        #expect(try complete(team, ["new"], "positional@0", "n").allSatisfy { $0.hasPrefix("n") })
        // Outside a repository: no words, no error.
        #expect(try complete(team, ["approve"], "positional@0", "", in: team.sandbox.root.path) == [])
        for shell in ["bash", "zsh", "fish"] {
            let script = try team.sigit(nil, "--generate-completion-script", shell).check().stdout
            #expect(script.contains("---completion approve -- positional@0"), "\(shell)")
            #expect(script.contains("---completion delegate -- --to"), "\(shell)")
            #expect(script.contains("---completion new -- positional@0"), "\(shell)")
        }
    }

    // MARK: man page

    /// Every command of the tool with its option names, from ArgumentParser's own description of it.
    static func commands(_ node: [String: Any], path: [String] = []) -> [(path: [String], names: [String])] {
        let name = node["commandName"] as? String ?? "?"
        let here = path + [name]
        let names = (node["arguments"] as? [[String: Any]] ?? []).filter { ($0["shouldDisplay"] as? Bool) != false }.flatMap { argument in
            (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        let children = (node["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        return [(here, names)] + children.flatMap { commands($0, path: here) }
    }

    @Test("the committed man page docs/man/sigit.1 names every verb and option the binary has (make man regenerates it)")
    func manPageInSync() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = try String(contentsOf: package.appendingPathComponent("docs/man/sigit.1"), encoding: .utf8)
        let sandbox = try Sandbox()
        let dump = try sandbox.run(Sandbox.sigitBinary, ["--experimental-dump-help"], in: sandbox.root.path).check().json()
        let tree = try #require(dump["command"] as? [String: Any])
        let commands = Self.commands(tree)
        #expect(commands.count > 25)
        var missing: [String] = []
        for (path, names) in commands {
            // mdoc: a verb is an item `.It Em approve`, an option `.It Fl C Ar PATH`, `.It Fl m , -message Ar message`.
            if path.count > 1, !page.contains(".It Em \(path[path.count - 1])\n") { missing.append(path.joined(separator: " ")) }
            for name in names where !["help", "h", "version"].contains(name) {
                let shown = name.count > 1 ? "-" + name : name
                if !page.contains("Fl \(shown)") && !page.contains(", \(shown)") { missing.append(path.joined(separator: " ") + " -" + shown) }
            }
        }
        #expect(missing.isEmpty, "not in docs/man/sigit.1 (run make man): \(missing)")
    }
}
