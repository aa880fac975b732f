import Foundation
import Testing
import TrustedTime

/// `sigit export` and `sigit verify --export`: the evidence package, checked with stock tools alone.
@Suite("export")
struct ExportTests {
    /// Runs every ```sh block of `VERIFY.md` in order, with bash and a bare environment (PATH=/usr/bin:/bin, an
    /// empty HOME, no git config): exactly what an auditor with stock git, ssh-keygen and coreutils does.
    static func runGuide(_ team: Team, _ folder: String) throws -> RunResult {
        let guide = try String(contentsOfFile: team.sandbox.path("\(folder)/VERIFY.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in guide.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```sh" { current = [] } else if line == "```", let block = current { blocks.append(block.joined(separator: "\n")); current = nil } else { current?.append(String(line)) }
        }
        #expect(blocks.count >= 4, "VERIFY.md has its command blocks")
        // Each block runs in its own bash, as a reader pasting it would (its `set -e` must not be masked by `||`).
        let script = blocks.map { "bash <<'SIGIT_BLOCK' || exit 1\n\($0)\nSIGIT_BLOCK" }.joined(separator: "\n")
        try script.write(toFile: team.sandbox.path("\(folder).verify.sh"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: team.sandbox.path("auditor-home"), withIntermediateDirectories: true)
        return try team.sandbox.run("/usr/bin/env", ["-i", "PATH=/usr/bin:/bin", "HOME=\(team.sandbox.path("auditor-home"))", "LANG=C",
                                                     "bash", team.sandbox.path("\(folder).verify.sh")], in: team.sandbox.path(folder))
    }

    /// `sigit verify --export FOLDER --root <the team's trust root>` (or the `extra` arguments instead of --root).
    func verifyExport(_ team: Team, _ folder: String, _ extra: String...) throws -> RunResult {
        let root = try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let arguments = extra.isEmpty || extra == ["--json"] ? ["--root", root] + extra : extra
        return try team.sandbox.run(Sandbox.sigitBinary, ["verify", "--export", team.sandbox.path(folder)] + arguments, in: team.sandbox.root.path)
    }

    @Test("a sealed, completed agreement: VERIFY.md passes with stock tools only; sigit verify --export passes outside any repository")
    func completedPackage() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Other", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("alice", "approve", "nda-1", "-m", "legal ok").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit("carol", "approve", "nda-1").check()
        try team.sigit("alice", "seal", "nda-1").check()
        // bob leaves after signing: his key stays in allowed_signers with its window, and his approval still verifies.
        let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(120))
        try team.sigit("alice", "identity", "retire", "bob", "--at", soon).check()
        try team.sigit("alice", "identity", "add", "dave", "--email", "dave@example.com", "--public-key", try team.sandbox.key("dave") + ".pub").check()
        let tip = try team.tip()
        let out = try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check().stdout
        #expect(out.contains("wrote the evidence for nda-1 (completed)"), "\(out)")
        for name in ["history.git", "allowed_signers", "certificate.html", "certificate.json", "VERIFY.md"] {
            #expect(FileManager.default.fileExists(atPath: team.sandbox.path("pkg/\(name)")), "\(name)")
        }
        let signers = try String(contentsOfFile: team.sandbox.path("pkg/allowed_signers"), encoding: .utf8)
        #expect(signers.split(separator: "\n").contains { $0.hasPrefix("bob@example.com ") && $0.contains("valid-before=") })
        // One line per key and principal window: bob's scheduled retirement narrows his one window, it adds none.
        let bobKey = try String(contentsOfFile: team.sandbox.path("keys/bob.pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        #expect(signers.split(separator: "\n").filter { $0.hasSuffix(bobKey) }.count == 1, "\(signers)")
        #expect(signers.split(separator: "\n").filter { $0.hasPrefix("alice@example.com ") }.map { $0.contains("valid-") } == [false], "\(signers)")
        let guide = try Self.runGuide(team, "pkg")
        #expect(guide.status == 0, "\(guide.stdout) \(guide.stderr)")
        for line in ["history ok: main is \(tip)", "trust root ok", "signatures ok", "digests ok", "seal ok: sigit/nda-1/completed"] {
            #expect(guide.stdout.contains(line), "\(line) in \(guide.stdout)")
        }
        let checked = try verifyExport(team, "pkg").check().stdout
        #expect(checked.contains("ok: nda-1 is completed at \(tip)") && checked.contains("every file matches"), "\(checked)")
        let json = try verifyExport(team, "pkg", "--json").check().json()
        #expect(json["ok"] as? Bool == true && json["state"] as? String == "completed")
        let noRoot = try team.sandbox.run(Sandbox.sigitBinary, ["verify", "--export", team.sandbox.path("pkg")], in: team.sandbox.root.path)
        #expect(noRoot.status == 2 && noRoot.stderr.contains("--root"), "without the published root nothing is proven: \(noRoot.stderr)")
    }

    @Test("a package that would make git run its own program, or carries a forged seal, fails before and in both checks; a forged local seal is not exported")
    func hostilePackage() throws {
        let team = try Team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        try team.sigit("alice", "seal", "nda-1").check()
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        func copy(_ name: String) throws { try team.sandbox.run("/bin/cp", ["-r", "pkg", name], in: team.sandbox.root.path).check() }

        // history.git/config points gpg.ssh.program at a script of the package: it must never run.
        try copy("config")
        let marker = team.sandbox.path("PWNED")
        try "#!/bin/sh\ntouch \(marker)\nexit 0\n".write(toFile: team.sandbox.path("config/history.git/fake"), atomically: true, encoding: .utf8)
        try team.sandbox.run("/bin/chmod", ["+x", "config/history.git/fake"], in: team.sandbox.root.path).check()
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=config/history.git", "config", "gpg.ssh.program", team.sandbox.path("config/history.git/fake")], in: team.sandbox.root.path).check()
        let guide = try Self.runGuide(team, "config")
        #expect(guide.status != 0 && guide.stdout.contains("history.git/config is not what sigit export writes"), "\(guide.stdout)")
        let checked = try verifyExport(team, "config")
        #expect(checked.status == 2 && checked.stderr.contains("config is not what sigit export writes"), "\(checked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))

        // The seal replaced by an unsigned tag of the same name.
        try copy("forged")
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=forged/history.git", "-c", "user.name=M", "-c", "user.email=m@example.com",
                                               "tag", "-f", "-a", "-m", "forged", "sigit/nda-1/completed", "refs/heads/main"], in: team.sandbox.root.path).check()
        #expect(try Self.runGuide(team, "forged").status != 0)
        let forged = try verifyExport(team, "forged")
        #expect(forged.status == 1 && forged.stdout.contains("is not a valid seal"), "\(forged.stdout)")

        // An extra reference (a replace ref would swap objects for git).
        try copy("extra")
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=extra/history.git", "update-ref", "refs/replace/x", "refs/heads/main"], in: team.sandbox.root.path).check()
        #expect(try Self.runGuide(team, "extra").stdout.contains("unexpected references"))
        #expect(try verifyExport(team, "extra").stdout.contains("references sigit export does not write"))

        // A forged seal in the repository itself is refused at export.
        try team.git("tag", "-d", "sigit/nda-1/completed").check()
        try team.git("tag", "-a", "-m", "forged", "sigit/nda-1/completed").check()
        let refused = try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg2"))
        #expect(refused.status == 2 && refused.stderr.contains("is not a valid seal"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path("pkg2")))
    }

    @Test("negative controls: a swapped key in allowed_signers fails both checks; an edited certificate, a wrong trust root, a moved branch are named")
    func tampered() throws {
        let team = try Team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        func copy(_ name: String) throws {
            try team.sandbox.run("/bin/cp", ["-r", "pkg", name], in: team.sandbox.root.path).check()
        }

        try copy("swapped")
        let carol = try String(contentsOfFile: team.sandbox.path("keys/carol.pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let mallory = try String(contentsOfFile: team.sandbox.path("keys/mallory.pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let signers = try String(contentsOfFile: team.sandbox.path("swapped/allowed_signers"), encoding: .utf8)
        #expect(signers.contains(carol))
        try signers.replacingOccurrences(of: carol, with: mallory).write(toFile: team.sandbox.path("swapped/allowed_signers"), atomically: true, encoding: .utf8)
        let guide = try Self.runGuide(team, "swapped")
        #expect(guide.status != 0 && guide.stdout.contains("bad signature"), "\(guide.stdout)")
        let swapped = try verifyExport(team, "swapped")
        #expect(swapped.status == 1 && swapped.stdout.contains("allowed_signers differs"), "\(swapped.stdout)")

        try copy("edited")
        let cert = try String(contentsOfFile: team.sandbox.path("edited/certificate.json"), encoding: .utf8)
        try cert.replacingOccurrences(of: "Mutual NDA with Acme", with: "Mutual NDA with Initech").write(toFile: team.sandbox.path("edited/certificate.json"), atomically: true, encoding: .utf8)
        let edited = try verifyExport(team, "edited")
        #expect(edited.status == 1 && edited.stdout.contains("certificate.json differs from what the history gives (agreement"), "\(edited.stdout)")

        let wrongRoot = try verifyExport(team, "pkg", "--root", String(repeating: "ab", count: 20), "--json")
        #expect(wrongRoot.status == 1 && wrongRoot.stdout.contains("the trust root is"), "\(wrongRoot.stdout)")

        // The exported branch moved to an earlier commit: the certificate no longer matches, and VERIFY.md says so.
        try copy("moved")
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=moved/history.git", "update-ref", "refs/heads/main", "refs/heads/main~1"], in: team.sandbox.root.path).check()
        #expect(try verifyExport(team, "moved").status == 1)
        #expect(try Self.runGuide(team, "moved").status != 0)
    }

    @Test("an interim package (no seal) verifies too; bad input writes nothing")
    func interimAndBadInput() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        let guide = try Self.runGuide(team, "pkg")
        #expect(guide.status == 0 && !guide.stdout.contains("seal ok"), "\(guide.stdout) \(guide.stderr)")
        #expect(try String(contentsOfFile: team.sandbox.path("pkg/VERIFY.md"), encoding: .utf8).contains("interim package"))
        try verifyExport(team, "pkg").check()

        try FileManager.default.createDirectory(atPath: team.sandbox.path("full"), withIntermediateDirectories: true)
        try "keep".write(toFile: team.sandbox.path("full/file"), atomically: true, encoding: .utf8)
        for args in [["export", "nda-1", "-o", team.sandbox.path("full")], ["export", "nope", "-o", team.sandbox.path("x")],
                     ["export", "nda-1", "-o", team.sandbox.path("x"), "--at", "no-such"], ["export", "nda-1", "-o", team.sandbox.path("missing/x")]] {
            let result = try team.sigit(nil, args)
            #expect(result.status == 2 && !result.stderr.isEmpty, "\(args): \(result.status) \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("full")) == ["file"])
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path("x")) && !FileManager.default.fileExists(atPath: team.sandbox.path("missing")))
        let badRoot = try verifyExport(team, "pkg", "--root", "not-hex")
        #expect(badRoot.status == 2 && badRoot.stderr.contains("40 hex digits"), "\(badRoot.stderr)")
        let rootAlone = try team.sigit(nil, "verify", "--root", String(repeating: "ab", count: 20))
        #expect(rootAlone.status != 0 && rootAlone.status != 1 && rootAlone.stderr.contains("--export"), "\(rootAlone.stderr)")
        let notPackage = try verifyExport(team, "full")
        #expect(notPackage.status == 2 && notPackage.stderr.contains("not an evidence package"))
        // A package whose certificate has the version 1 schema (names from the newest policy) is refused, not trusted.
        try team.sandbox.run("/bin/cp", ["-r", "pkg", "v1"], in: team.sandbox.root.path).check()
        let v1 = try String(contentsOfFile: team.sandbox.path("v1/certificate.json"), encoding: .utf8).replacingOccurrences(of: "sigit-certificate/2", with: "sigit-certificate/1")
        try v1.write(toFile: team.sandbox.path("v1/certificate.json"), atomically: true, encoding: .utf8)
        let old = try verifyExport(team, "v1")
        #expect(old.status == 2 && old.stderr.contains("sigit-certificate/1") && old.stderr.contains("export the agreement again"), "\(old.stderr)")
    }

    @Test("-o takes a new folder with or without a trailing slash, or an existing empty one; a non-empty folder or a file is refused in one line, nothing written")
    func outputFolder() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        // The README's own command, run from the sandbox: a relative folder with a trailing slash.
        let relative = try team.sandbox.run(Sandbox.sigitBinary, ["-C", "repo", "export", "nda-1", "-o", "evidence/"], in: team.sandbox.root.path)
        #expect(relative.status == 0, "\(relative.stderr)")
        try FileManager.default.createDirectory(atPath: team.sandbox.path("empty"), withIntermediateDirectories: true)
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("empty") + "/").check()
        for folder in ["evidence", "empty"] {
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path(folder)))
                        == ["history.git", "allowed_signers", "certificate.html", "certificate.json", "VERIFY.md"], "\(folder)")
            try verifyExport(team, folder).check()
        }

        try FileManager.default.createDirectory(atPath: team.sandbox.path("full"), withIntermediateDirectories: true)
        try "keep".write(toFile: team.sandbox.path("full/file"), atomically: true, encoding: .utf8)
        try "a file".write(toFile: team.sandbox.path("plainfile"), atomically: true, encoding: .utf8)
        let refusals: [(String, String)] = [(team.sandbox.path("full") + "/", "exists and is not an empty folder"),
                                            (team.sandbox.path("plainfile"), "exists and is not an empty folder"),
                                            (team.sandbox.path("plainfile") + "/sub", "cannot create the folder"),
                                            (team.sandbox.path("missing/x/"), "cannot create the folder")]
        for (output, says) in refusals {
            let result = try team.sigit(nil, "export", "nda-1", "-o", output)
            #expect(result.status == 2 && result.stderr.contains(says), "\(output): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("full")) == ["file"])
        #expect(try String(contentsOfFile: team.sandbox.path("plainfile"), encoding: .utf8) == "a file")
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path("missing")))
    }

    @Test("export warns which other agreements the package reveals, and VERIFY.md names them; control: none when there is no other")
    func revealedAgreements() throws {
        let alone = try Team()
        let quiet = try alone.sigit(nil, "export", "nda-1", "-o", alone.sandbox.path("pkg")).check()
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        #expect(try String(contentsOfFile: alone.sandbox.path("pkg/VERIFY.md"), encoding: .utf8).contains("it holds no other agreement"))

        let team = try Team()
        for id in ["nda-2", "nda-3"] {
            try team.sigit("bot", "new", "nda", id, "--set", "counterparty=Other", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        }
        let run = try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        #expect(run.stderr == "sigit: warning: the package holds the whole history, so it also reveals the files and events of 2 other agreements: nda-2, nda-3 (see VERIFY.md, docs/EVIDENCE.md)\n", "\(run.stderr)")
        let guide = try String(contentsOfFile: team.sandbox.path("pkg/VERIFY.md"), encoding: .utf8)
        #expect(guide.contains("## What this package reveals") && guide.contains("2 other agreements: `nda-2`, `nda-3`"), "\(guide)")
        // What the warning says is true: another agreement's files are in the package.
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=history.git", "cat-file", "-e", "refs/heads/main:agreements/nda-2/agreement.yml"], in: team.sandbox.path("pkg")).check()
        try verifyExport(team, "pkg").check()
        #expect(try Self.runGuide(team, "pkg").status == 0)
    }

    @Test("time-stamp tokens travel with the package: VERIFY.md checks each with openssl ts -verify (a TSA certificate or a root listed); one changed byte of a token, or another authority certificate, fails the block and sigit verify --export")
    func timestampedPackage() async throws {
        let team = try Team()
        let tsa = try TSAFixture.shared.get()
        // One authority is the P-256 TSA's own certificate, the other the root that issued the RSA TSA.
        try team.listAuthorities([("p256-tsa", tsa.file(TSAProfile.p256.certificate)), ("root-a", tsa.file("caA.pem"))])
        let grant = try team.tip()  // a policy event (the grant of timestamp), which block 3 checks too
        var approvals: [String] = []
        for who in ["alice", "bob", "carol"] {
            try team.sigit(who, "approve", "nda-1").check()
            approvals.append(try team.tip())
        }
        try team.sigit("alice", "seal", "nda-1").check()
        let tokens = [(approvals[0], try await team.loopbackToken(approvals[0], by: .p256)),
                      (approvals[1], try await team.loopbackToken(approvals[1], by: .rsa)),
                      (approvals[2], try await team.loopbackToken(approvals[2], by: .rsa)),
                      (grant, try await team.loopbackToken(grant, by: .p256))]
        try team.addTokens(tokens)
        #expect(try team.verify().status == 0)
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()

        for (commit, token) in tokens {
            let file = team.sandbox.path("pkg/timestamps/\(try team.eventHex(commit)).tsr")
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == token, "\(file) is the token the timestamp event added")
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("pkg/authorities"))) == ["p256-tsa.pem", "root-a.pem"])
        #expect(try String(contentsOfFile: team.sandbox.path("pkg/authorities/root-a.pem"), encoding: .utf8)
                    == String(contentsOfFile: tsa.file("caA.pem"), encoding: .utf8))
        let text = try String(contentsOfFile: team.sandbox.path("pkg/VERIFY.md"), encoding: .utf8)
        #expect(text.contains("## Trusted times: the time-stamp tokens") && text.contains("**What it does not prove:** who signed"), "\(text)")
        #expect(text.contains("openssl ts -verify -in \"$2\" -token_in -data \"$object\" -CAfile \"$certs/trusted.pem\""))

        let guide = try Self.runGuide(team, "pkg")
        #expect(guide.status == 0, "\(guide.stdout) \(guide.stderr)")
        for (commit, _) in tokens {
            #expect(guide.stdout.contains("token ok: \(commit) existed at "), "\(guide.stdout)")
        }
        #expect(guide.stdout.contains("tokens ok: 4 tokens") && guide.stdout.contains("seal ok"), "\(guide.stdout)")
        try verifyExport(team, "pkg").check()

        // One byte of bob's token changed (the last byte of its signature).
        try team.sandbox.run("/bin/cp", ["-r", "pkg", "flipped"], in: team.sandbox.root.path).check()
        let bobHex = try team.eventHex(approvals[1])
        let flipped = team.sandbox.path("flipped/timestamps/\(bobHex).tsr")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: flipped))
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: flipped))
        let bad = try Self.runGuide(team, "flipped")
        #expect(bad.status != 0 && bad.stdout.contains("digests ok") && bad.stdout.contains("bad token: timestamps/\(bobHex).tsr"), "\(bad.stdout)")
        #expect(!bad.stdout.contains("tokens ok"))
        let refused = try verifyExport(team, "flipped")
        #expect(refused.status == 1 && refused.stdout.contains("timestamps/\(bobHex).tsr differs from what the history gives"), "\(refused.stdout)")
        #expect(refused.stdout.contains("does not verify against authorities/root-a.pem"), "\(refused.stdout)")

        // The root replaced by another CA's certificate: the RSA tokens no longer chain.
        try team.sandbox.run("/bin/cp", ["-r", "pkg", "swapped-ca"], in: team.sandbox.root.path).check()
        try FileManager.default.removeItem(atPath: team.sandbox.path("swapped-ca/authorities/root-a.pem"))
        try FileManager.default.copyItem(atPath: tsa.file("caB.pem"), toPath: team.sandbox.path("swapped-ca/authorities/root-a.pem"))
        let swapped = try Self.runGuide(team, "swapped-ca")
        #expect(swapped.status != 0 && swapped.stdout.contains("authorities/root-a.pem is not a certificate a policy of this history lists"), "\(swapped.stdout)")
        #expect(!swapped.stdout.contains("tokens ok"))
        let swappedCheck = try verifyExport(team, "swapped-ca")
        #expect(swappedCheck.status == 1 && swappedCheck.stdout.contains("authorities/root-a.pem differs from what the history gives"), "\(swappedCheck.stdout)")
        #expect(swappedCheck.stdout.contains("does not verify against authorities/root-a.pem"), "\(swappedCheck.stdout)")

        // The other CA's certificate disguised so that the text left without its ----- lines ("serial") is in every
        // policy: the check compares what openssl reads (its fingerprint), not text, and trusts only that certificate.
        try team.sandbox.run("/bin/cp", ["-r", "pkg", "disguised"], in: team.sandbox.root.path).check()
        let other = try String(contentsOfFile: tsa.file("caB.pem"), encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        try "serial\n-----BEGIN CERTIFICATE-----\n\(other)-----\n-----END CERTIFICATE-----\n"
            .write(toFile: team.sandbox.path("disguised/authorities/root-a.pem"), atomically: true, encoding: .utf8)
        let disguised = try Self.runGuide(team, "disguised")
        #expect(disguised.status != 0 && disguised.stdout.contains("authorities/root-a.pem is not"), "\(disguised.stdout)")
        #expect(!disguised.stdout.contains("tokens ok"))

        // root-a.pem replaced by the other listed certificate (the P-256 TSA's): listed, but the RSA tokens do not chain to it.
        try team.sandbox.run("/bin/cp", ["-r", "pkg", "crossed"], in: team.sandbox.root.path).check()
        try FileManager.default.removeItem(atPath: team.sandbox.path("crossed/authorities/root-a.pem"))
        try FileManager.default.copyItem(atPath: team.sandbox.path("pkg/authorities/p256-tsa.pem"), toPath: team.sandbox.path("crossed/authorities/root-a.pem"))
        let crossed = try Self.runGuide(team, "crossed")
        #expect(crossed.status != 0 && crossed.stdout.contains("token ok: \(approvals[0])") && crossed.stdout.contains("bad token: timestamps/\(bobHex).tsr"), "\(crossed.stdout)")
        #expect(try verifyExport(team, "crossed").stdout.contains("does not verify against authorities/root-a.pem"))
    }
}
