import Foundation
import Testing

/// Spec section 4, *Who someone was*: evidence (log, certificate, review, export) names each event's identity with the
/// name, email, kind and key the policy in force at the event's parents gave it; an exported `allowed_signers` maps
/// each key to the principal it had while it was valid. Checked with the real binary, stock git and ssh-keygen.
@Suite("who someone was")
struct WhoSomeoneWasTests {
    /// Policy text without the block of `identity` (its name line and every deeper line).
    static func removing(_ text: String, identity: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "  \(identity):") else { return text }
        var end = start + 1
        while end < lines.count, lines[end].hasPrefix("    ") { end += 1 }
        lines.removeSubrange(start..<end)
        return lines.joined(separator: "\n")
    }

    /// `ssh-keygen -lf keys/<name>.pub`'s `SHA256:` fingerprint.
    static func fingerprint(_ team: Team, _ name: String) throws -> String {
        let out = try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-lf", team.sandbox.path("keys/\(name).pub")], in: team.sandbox.root.path).check().stdout
        return out.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
    }

    /// `ssh-ed25519 AAAA…` of keys/<name>.pub, without the comment.
    static func publicKey(_ team: Team, _ name: String) throws -> String {
        try String(contentsOfFile: team.sandbox.path("keys/\(name).pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// A commit's committer time in OpenSSH's `YYYYMMDDHHMMSSZ`.
    static func compactTime(_ team: Team, _ commit: String) throws -> String {
        let seconds = try team.git("log", "-1", "--format=%ct", commit).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds) ?? 0)) + "Z"
    }

    /// The certificate event of `commit`.
    static func event(_ cert: [String: Any], _ commit: String) -> [String: Any]? {
        CertificateTests.events(cert).first { $0["commit"] as? String == commit }
    }

    /// `sigit log --json`'s row of `commit`.
    static func logRow(_ team: Team, _ commit: String) throws -> [String: Any]? {
        let rows = try team.sigit(nil, "log", "--json").check().json()["events"] as? [[String: Any]] ?? []
        return rows.first { $0["commit"] as? String == commit }
    }

    /// `allowed_signers` lines of an evidence package that list `key`.
    static func signerLines(_ team: Team, _ folder: String, _ key: String) throws -> [String] {
        try String(contentsOfFile: team.sandbox.path("\(folder)/allowed_signers"), encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.hasSuffix(key) }
    }

    /// `git log --show-signature -1 commit` on the package's history with its allowed_signers, as an auditor runs it.
    static func showSignature(_ team: Team, _ folder: String, _ commit: String) throws -> RunResult {
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=\(folder)/history.git", "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(team.sandbox.path("\(folder)/allowed_signers"))",
                                              "log", "--show-signature", "-1", "--format=%H", commit], in: team.sandbox.root.path)
    }

    /// `git verify-commit` on the package's history with its allowed_signers.
    static func verifyCommit(_ team: Team, _ folder: String, _ commit: String) throws -> RunResult {
        try team.sandbox.run("/usr/bin/env", ["git", "--git-dir=\(folder)/history.git", "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(team.sandbox.path("\(folder)/allowed_signers"))",
                                              "verify-commit", commit], in: team.sandbox.root.path)
    }

    /// `ssh-keygen -Y find-principals` for a signature by keys/<name> at `time` (YYYYMMDDHHMMSSZ) against a package's
    /// allowed_signers: the principals it names, or nil when none matches.
    static func principals(_ team: Team, _ folder: String, signedBy name: String, at time: String) throws -> String? {
        let data = team.sandbox.path("payload-\(name)")
        if !FileManager.default.fileExists(atPath: data + ".sig") {
            try "anything\n".write(toFile: data, atomically: true, encoding: .utf8)
            try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-q", "-Y", "sign", "-f", team.sandbox.path("keys/\(name)"), "-n", "git", data], in: team.sandbox.root.path).check()
        }
        let found = try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-Y", "find-principals", "-s", data + ".sig", "-f", team.sandbox.path("\(folder)/allowed_signers"),
                                                          "-O", "verify-time=\(time)"], in: team.sandbox.root.path)
        return found.status == 0 ? found.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Waits past the current second, so committer times (whole seconds) differ.
    static func nextSecond() { Thread.sleep(forTimeInterval: 1.1) }

    @Test("an identity id given to someone else: the old approval keeps the old person's email and key everywhere; allowed_signers bounds the old key's window; stock git verifies it")
    func reusedIdentity() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1", "-m", "the first bob").check()
        let oldApproval = try team.tip()
        let oldPrint = try Self.fingerprint(team, "bob")
        // Control: before the id changes hands, bob's review starts at his approval.
        #expect((try team.sigit("bob", "review", "nda-1", "--json").check().json()["baseline"] as? [String: Any])?["reason"] as? String == "your-approval")

        Self.nextSecond()
        try team.editPolicy { Self.removing($0, identity: "bob") }
        let removal = try team.tip()
        Self.nextSecond()
        try team.sandbox.key("bob2")
        try team.sigit("alice", "identity", "add", "bob", "--email", "bob2@example.net", "--display-name", "Robert Second",
                       "--public-key", team.sandbox.path("keys/bob2.pub")).check()
        try team.sigit("carol", "approve", "nda-1").check()
        // The new bob acts too, on another agreement.
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Other", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", "nda-2").check()
        try team.sigit("alice", "approve", "nda-2").check()
        try team.sigit("bob2", "approve", "nda-2", "-m", "the second bob").check()
        let newApproval = try team.tip()
        let newPrint = try Self.fingerprint(team, "bob2")
        #expect(oldPrint != newPrint)
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.violations.isEmpty, "\(verdict.violations) \(verdict.messages)")

        // Certificate: the old approval names the first bob, and only him.
        let cert = try CertificateTests.certificate(team, "nda-1")
        #expect((cert["agreement"] as? [String: Any])?["state"] as? String == "completed")
        let old = try #require(Self.event(cert, oldApproval))
        #expect(old["identity"] as? String == "bob" && old["email"] as? String == "bob@example.com" && old["name"] as? String == "bob")
        #expect(old["fingerprint"] as? String == oldPrint && old["effect"] as? String == "counted" && old["kind"] as? String == "human")
        let people = cert["identities"] as? [[String: Any]] ?? []
        let bobs = people.filter { $0["id"] as? String == "bob" }
        #expect(bobs.count == 1 && bobs.first?["email"] as? String == "bob@example.com" && bobs.first?["current"] as? Bool == false, "\(bobs)")
        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(html.contains("bob@example.com") && !html.contains("bob2@example.net") && !html.contains("Robert Second"))
        let markdown = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        #expect(markdown.contains("bob\\@example.com") && !markdown.contains("bob2"))
        // The new bob's approval names him.
        let cert2 = try CertificateTests.certificate(team, "nda-2")
        let new = try #require(Self.event(cert2, newApproval))
        #expect(new["email"] as? String == "bob2@example.net" && new["name"] as? String == "Robert Second" && new["fingerprint"] as? String == newPrint)
        #expect((cert2["identities"] as? [[String: Any]] ?? []).contains { $0["email"] as? String == "bob2@example.net" && $0["current"] as? Bool == true })

        // Log, JSON and text: the same id, two people.
        #expect(try Self.logRow(team, oldApproval)?["email"] as? String == "bob@example.com")
        #expect(try Self.logRow(team, oldApproval)?["fingerprint"] as? String == oldPrint)
        #expect(try Self.logRow(team, newApproval)?["email"] as? String == "bob2@example.net")
        let text = try team.sigit(nil, "log", "nda-1").check().stdout
        let line = text.split(separator: "\n").first { $0.contains(String(oldApproval.prefix(7))) } ?? ""
        #expect(line.contains("bob <bob@example.com>") && line.contains(oldPrint), "\(text)")
        #expect(!text.contains("bob2@example.net"))

        // Review: the new bob does not inherit the first bob's approval as the version he saw.
        let review = try team.sigit("bob2", "review", "nda-1", "--json").check().json()
        #expect(review["reviewer"] as? String == "bob")
        #expect((review["baseline"] as? [String: Any])?["reason"] as? String == "sent", "\(review["baseline"] ?? "none")")
        let decision = (review["decisions"] as? [[String: Any]] ?? []).first { $0["commit"] as? String == oldApproval }
        #expect(decision?["email"] as? String == "bob@example.com" && decision?["fingerprint"] as? String == oldPrint)

        // Export: the old key maps to the old email only until it left; the new key to the new email.
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        let oldLines = try Self.signerLines(team, "pkg", try Self.publicKey(team, "bob"))
        let left = try Self.compactTime(team, removal)
        #expect(oldLines == ["bob@example.com namespaces=\"git\",valid-before=\"\(left)\" \(try Self.publicKey(team, "bob"))"], "\(oldLines)")
        let newLines = try Self.signerLines(team, "pkg", try Self.publicKey(team, "bob2"))
        #expect(newLines == ["bob2@example.net namespaces=\"git\" \(try Self.publicKey(team, "bob2"))"], "\(newLines)")
        let guide = try ExportTests.runGuide(team, "pkg")
        #expect(guide.status == 0 && guide.stdout.contains("signatures ok"), "\(guide.stdout) \(guide.stderr)")
        try Self.verifyCommit(team, "pkg", oldApproval).check()
        let shown = try Self.showSignature(team, "pkg", oldApproval).check().stdout
        #expect(shown.contains("Good \"git\" signature for bob@example.com"), "\(shown)")
        // The window is real: a signature by the first bob's key verifies at his approval's time, not after he left.
        #expect(try Self.principals(team, "pkg", signedBy: "bob", at: Self.compactTime(team, oldApproval)) == "bob@example.com")
        #expect(try Self.principals(team, "pkg", signedBy: "bob", at: Self.compactTime(team, newApproval)) == nil)
        #expect(try Self.principals(team, "pkg", signedBy: "bob2", at: Self.compactTime(team, newApproval)) == "bob2@example.net")
        let checked = try team.sandbox.run(Sandbox.sigitBinary, ["verify", "--export", team.sandbox.path("pkg"), "--root",
                                                                 try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)],
                                           in: team.sandbox.root.path)
        #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")
        // Negative control: the old key remapped to the new holder's email. Stock git still verifies (it checks keys,
        // and now names the wrong person); sigit verify --export rebuilds the file from history and names it.
        try team.sandbox.run("/bin/cp", ["-r", "pkg", "remapped"], in: team.sandbox.root.path).check()
        let remapped = try String(contentsOfFile: team.sandbox.path("remapped/allowed_signers"), encoding: .utf8)
            .replacingOccurrences(of: "bob@example.com namespaces", with: "bob2@example.net namespaces")
        try remapped.write(toFile: team.sandbox.path("remapped/allowed_signers"), atomically: true, encoding: .utf8)
        #expect(try Self.showSignature(team, "remapped", oldApproval).check().stdout.contains("Good \"git\" signature for bob2@example.net"))
        let caught = try team.sandbox.run(Sandbox.sigitBinary, ["verify", "--export", team.sandbox.path("remapped"), "--root",
                                                                try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)],
                                          in: team.sandbox.root.path)
        #expect(caught.status == 1 && caught.stdout.contains("allowed_signers differs"), "\(caught.stdout) \(caught.stderr)")

        try team.sigit(nil, "export", "nda-2", "-o", team.sandbox.path("pkg2")).check()
        #expect(try Self.runGuideOK(team, "pkg2"))
        #expect(try Self.showSignature(team, "pkg2", newApproval).check().stdout.contains("Good \"git\" signature for bob2@example.net"))
    }

    @Test("an email changed: events before the change show the old email, after it the new; allowed_signers gives the key one window per email")
    func renamedEmail() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        let before = try team.tip()
        Self.nextSecond()
        try team.editPolicy { $0.replacingOccurrences(of: "email: bob@example.com", with: "email: robert@example.org") }
        let change = try team.tip()
        Self.nextSecond()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Other", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", "nda-2").check()
        try team.sigit("alice", "approve", "nda-2").check()
        try team.sigit("bob", "approve", "nda-2").check()
        let after = try team.tip()
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.violations.isEmpty, "\(verdict.violations) \(verdict.messages)")
        let print = try Self.fingerprint(team, "bob")

        let cert1 = try CertificateTests.certificate(team, "nda-1")
        #expect(Self.event(cert1, before)?["email"] as? String == "bob@example.com")
        let bob1 = (cert1["identities"] as? [[String: Any]] ?? []).filter { $0["id"] as? String == "bob" }
        #expect(bob1.count == 1 && bob1.first?["email"] as? String == "bob@example.com" && bob1.first?["current"] as? Bool == false, "\(bob1)")
        let cert2 = try CertificateTests.certificate(team, "nda-2")
        #expect(Self.event(cert2, after)?["email"] as? String == "robert@example.org")
        #expect((cert2["identities"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == "bob" && $0["email"] as? String == "robert@example.org" && $0["current"] as? Bool == true })

        let oldRow = try #require(try Self.logRow(team, before)), newRow = try #require(try Self.logRow(team, after))
        #expect(oldRow["email"] as? String == "bob@example.com" && newRow["email"] as? String == "robert@example.org")
        #expect(oldRow["fingerprint"] as? String == print && newRow["fingerprint"] as? String == print)

        try team.sigit(nil, "export", "nda-2", "-o", team.sandbox.path("pkg")).check()
        let key = try Self.publicKey(team, "bob")
        let at = try Self.compactTime(team, change)
        let lines = try Self.signerLines(team, "pkg", key)
        #expect(lines == ["bob@example.com namespaces=\"git\",valid-before=\"\(at)\" \(key)", "robert@example.org namespaces=\"git\",valid-after=\"\(at)\" \(key)"], "\(lines)")
        #expect(try Self.runGuideOK(team, "pkg"))
        #expect(try Self.showSignature(team, "pkg", before).check().stdout.contains("Good \"git\" signature for bob@example.com"))
        #expect(try Self.showSignature(team, "pkg", after).check().stdout.contains("Good \"git\" signature for robert@example.org"))
        #expect(try Self.principals(team, "pkg", signedBy: "bob", at: Self.compactTime(team, before)) == "bob@example.com")
        #expect(try Self.principals(team, "pkg", signedBy: "bob", at: Self.compactTime(team, after)) == "robert@example.org")
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg1")).check()
        #expect(try Self.runGuideOK(team, "pkg1"))
    }

    @Test("control: an identity no policy changed reads the same in certificate, log and export, with one allowed_signers line and no window")
    func unchangedIdentity() throws {
        let team = try Team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        let approval = try team.tip()
        try team.addHuman("dave")
        let cert = try CertificateTests.certificate(team, "nda-1")
        let event = try #require(Self.event(cert, approval))
        #expect(event["identity"] as? String == "carol" && event["email"] as? String == "carol@example.com" && event["name"] as? String == "carol")
        let carol = (cert["identities"] as? [[String: Any]] ?? []).filter { $0["id"] as? String == "carol" }
        #expect(carol.count == 1 && carol.first?["current"] as? Bool == true && carol.first?["email"] as? String == "carol@example.com")
        let bot = try #require((cert["identities"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "bot" })
        #expect(bot["kind"] as? String == "service" && bot["owner"] as? String == "alice" && bot["current"] as? Bool == true)
        #expect(try Self.logRow(team, approval)?["email"] as? String == "carol@example.com")
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        let key = try Self.publicKey(team, "carol")
        #expect(try Self.signerLines(team, "pkg", key) == ["carol@example.com namespaces=\"git\" \(key)"])
        #expect(try Self.runGuideOK(team, "pkg"))
        #expect(try Self.showSignature(team, "pkg", approval).check().stdout.contains("Good \"git\" signature for carol@example.com"))
    }

    @Test("identities an event names but who did not act (delegate, on-behalf-of) are listed as that event's policy had them, one entry per version")
    func namedNotActing() throws {
        let team = try DelegationTests.team()
        try team.sigit("alice", "approve", "nda-1").check()
        try DelegationTests.handDelegate(team, "bob", to: "dave").check()
        let delegation = try team.tip()
        Self.nextSecond()
        try team.editPolicy { $0.replacingOccurrences(of: "email: dave@example.com", with: "email: dave@new.example") }
        Self.nextSecond()
        try DelegationTests.handApproveFor(team, "dave", for: "bob").check()
        let approval = try team.tip()
        try team.sigit("carol", "approve", "nda-1").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.violations.isEmpty, "\(verdict.violations) \(verdict.messages)")

        let cert = try CertificateTests.certificate(team, "nda-1")
        #expect((cert["agreement"] as? [String: Any])?["state"] as? String == "completed")
        #expect(Self.event(cert, delegation)?["delegate"] as? String == "dave" && Self.event(cert, delegation)?["email"] as? String == "bob@example.com")
        #expect(Self.event(cert, approval)?["email"] as? String == "dave@new.example" && Self.event(cert, approval)?["onBehalfOf"] as? String == "bob")
        let people = cert["identities"] as? [[String: Any]] ?? []
        let daves = people.filter { $0["id"] as? String == "dave" }.map { "\($0["email"] as? String ?? "?") \($0["current"] as? Bool ?? false)" }
        #expect(daves == ["dave@example.com false", "dave@new.example true"], "\(daves)")
        let bobs = people.filter { $0["id"] as? String == "bob" }
        #expect(bobs.count == 1 && bobs.first?["current"] as? Bool == true, "\(bobs)")
        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(html.contains("dave@example.com") && html.contains("dave@new.example"))
    }

    /// VERIFY.md's blocks pass.
    static func runGuideOK(_ team: Team, _ folder: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let guide = try ExportTests.runGuide(team, folder)
        if guide.status != 0 { Issue.record("VERIFY.md failed: \(guide.stdout) \(guide.stderr)", sourceLocation: sourceLocation) }
        return guide.status == 0
    }
}
