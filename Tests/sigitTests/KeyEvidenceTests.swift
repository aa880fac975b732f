import Foundation
import Testing

/// Spec section 7: "Evidence shows, per event, the key type, whether it is hardware-backed, the flags and the
/// counter" — in `sigit log`, every certificate form, `sigit review` and the exported package.
@Suite("Evidence of the signing key (spec §7)")
struct KeyEvidenceTests {
    /// nda-1 with dana's legal-review approval signed by a software FIDO authenticator (UP+UV, counter 7; WebAuthn
    /// from `origin` when given), bob's approval with his plain ed25519 key, and (when `complete`) carol's.
    private func history(kind: SoftwareAuthenticator.Kind = .ed25519, origin: String? = nil, complete: Bool = false) throws -> (Team, dana: String, bob: String) {
        let team = try Team()
        let dana = try team.fidoApprove("dana", try SoftwareAuthenticator(kind: kind), flags: 0x05, counter: 7, origin: origin)
        try team.sigit("bob", "approve", "nda-1").check()
        let bob = try team.tip()
        if complete { try team.sigit("carol", "approve", "nda-1").check() }
        return (team, dana, bob)
    }

    private func event(_ events: Any?, _ commit: String) -> [String: Any] {
        ((events as? [[String: Any]]) ?? []).first { $0["commit"] as? String == commit } ?? [:]
    }

    /// Checks the JSON facts of dana's FIDO approval and bob's software one.
    private func expectFacts(dana: [String: Any], bob: [String: Any], type: String = "sk-ssh-ed25519@openssh.com",
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let fido = dana["signature"] as? [String: Any] ?? [:]
        #expect(dana["keyType"] as? String == (type.hasPrefix("webauthn-") ? "sk-ecdsa-sha2-nistp256@openssh.com" : type), sourceLocation: sourceLocation)
        #expect(fido["hardware"] as? Bool == true, sourceLocation: sourceLocation)
        #expect(fido["type"] as? String == type, sourceLocation: sourceLocation)
        #expect(fido["flags"] as? Int == 5, sourceLocation: sourceLocation)
        #expect(fido["userPresence"] as? Bool == true, sourceLocation: sourceLocation)
        #expect(fido["userVerification"] as? Bool == true, sourceLocation: sourceLocation)
        #expect(fido["counter"] as? Int == 7, sourceLocation: sourceLocation)
        #expect(bob["keyType"] as? String == "ssh-ed25519", sourceLocation: sourceLocation)
        let software = bob["signature"] as? [String: Any] ?? [:]
        #expect(software.keys.sorted() == ["hardware"] && software["hardware"] as? Bool == false, "\(bob)", sourceLocation: sourceLocation)
    }

    @Test("sigit log shows per event the key type, hardware-backed, the flags and the counter (text and --json)")
    func log() throws {
        let (team, dana, bob) = try history()
        let json = try team.sigit(nil, "log", "nda-1", "--json").check().json()
        expectFacts(dana: event(json["events"], dana), bob: event(json["events"], bob))
        let lines = try team.sigit(nil, "log", "nda-1").check().stdout.split(separator: "\n")
        let danaLine = lines.first { $0.contains(String(dana.prefix(7))) } ?? ""
        let bobLine = lines.first { $0.contains(String(bob.prefix(7))) } ?? ""
        #expect(danaLine.contains("  sk-ed25519 hw UP UV #7 SHA256:"), "\(danaLine)")
        #expect(bobLine.contains("  ed25519 SHA256:") && !bobLine.contains(" hw"), "\(bobLine)")
    }

    @Test("sigit certificate shows the same facts in JSON, Markdown and HTML")
    func certificate() throws {
        let (team, dana, bob) = try history()
        let json = try team.sigit(nil, "certificate", "nda-1", "--format", "json").check().json()
        #expect(json["schema"] as? String == "sigit-certificate/2")
        expectFacts(dana: event(json["events"], dana), bob: event(json["events"], bob))
        let md = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        #expect(md.contains("sk-ssh-ed25519\\@openssh.com, hardware-backed, flags 0x05 (UP UV), counter 7 `SHA256:"), "\(md)")
        #expect(md.contains("ssh-ed25519, software key `SHA256:"), "\(md)")
        let html = try team.sigit(nil, "certificate", "nda-1", "--format", "html").check().stdout
        #expect(html.contains("sk-ssh-ed25519@openssh.com, hardware-backed, flags 0x05 (UP UV), counter 7<br><code>SHA256:"))
        #expect(html.contains("ssh-ed25519, software key<br><code>SHA256:"))
    }

    @Test("sigit review shows who approved with which key type, hardware-backed or not, and the flags")
    func review() throws {
        let (team, dana, bob) = try history()
        let text = try team.sigit("carol", "review", "nda-1").check().stdout
        let lines = text.split(separator: "\n")
        let danaLine = lines.first { $0.contains(String(dana.prefix(7))) } ?? ""
        let bobLine = lines.first { $0.contains(String(bob.prefix(7))) } ?? ""
        #expect(danaLine.contains("dana") && danaLine.contains("  sk-ed25519 hw UP UV #7  "), "\(text)")
        #expect(bobLine.contains("bob") && bobLine.contains("  ed25519  "), "\(text)")
        let json = try team.sigit("carol", "review", "nda-1", "--json").check().json()
        expectFacts(dana: event(json["decisions"], dana), bob: event(json["decisions"], bob))
    }

    @Test("export: the certificate carries the facts; VERIFY.md checks each hardware event's flags and counter with ssh-keygen -vv; control: a different counter fails")
    func export() throws {
        let (team, dana, bob) = try history(complete: true)
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        let data = try Data(contentsOf: URL(fileURLWithPath: team.sandbox.path("pkg/certificate.json")))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        expectFacts(dana: event(json["events"], dana), bob: event(json["events"], bob))
        let guidePath = team.sandbox.path("pkg/VERIFY.md")
        let guide = try String(contentsOfFile: guidePath, encoding: .utf8)
        #expect(guide.contains("## Hardware keys: flags and counter"))
        #expect(guide.contains("\nexpect \(dana) 7 0x05\n"), "\(guide)")
        #expect(!guide.contains("expect \(bob)"))
        let run = try ExportTests.runGuide(team, "pkg")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("flags ok: 1 hardware-signed event"), "\(run.stdout)")
        // Control: the same block with another counter (or flags) than the signature's fails.
        for wrong in ["expect \(dana) 8 0x05", "expect \(dana) 7 0x01"] {
            try guide.replacingOccurrences(of: "expect \(dana) 7 0x05", with: wrong).write(toFile: guidePath, atomically: true, encoding: .utf8)
            let bad = try ExportTests.runGuide(team, "pkg")
            #expect(bad.status != 0 && bad.stdout.contains("flags or counter differ from the certificate at \(dana)"), "\(wrong): \(bad.stdout)")
        }
        try guide.write(toFile: guidePath, atomically: true, encoding: .utf8)
        #expect(try verifyExport(team).status == 0)
    }

    private func verifyExport(_ team: Team) throws -> RunResult {
        let root = try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return try team.sandbox.run(Sandbox.sigitBinary, ["verify", "--export", team.sandbox.path("pkg"), "--root", root], in: team.sandbox.root.path)
    }

    @Test("a WebAuthn origin (chosen by the signer) is shown, escaped, in log, review, every certificate form and the export")
    func hostileOrigin() throws {
        let origin = "https://a<b>&c\u{1b}[2J"
        let (team, dana, bob) = try history(kind: .p256, origin: origin)
        let shown = "https://a<b>&c\\u{1b}[2J"
        let json = try team.sigit(nil, "log", "nda-1", "--json").check().json()
        let fido = event(json["events"], dana)
        expectFacts(dana: fido, bob: event(json["events"], bob), type: "webauthn-sk-ecdsa-sha2-nistp256@openssh.com")
        #expect((fido["signature"] as? [String: Any])?["origin"] as? String == origin)
        for arguments in [["log", "nda-1"], ["review", "nda-1"]] {
            let out = try team.sigit("carol", arguments).check().stdout
            #expect(!out.contains("\u{1b}"), "\(arguments)")
            #expect(out.contains("webauthn-sk-ecdsa-p256 hw UP UV #7") && out.contains("origin \(shown)"), "\(arguments): \(out)")
        }
        let cert = try team.sigit(nil, "certificate", "nda-1", "--format", "json").check().json()
        #expect((event(cert["events"], dana)["signature"] as? [String: Any])?["origin"] as? String == origin)
        let md = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        #expect(!md.contains("\u{1b}") && !md.contains("<b>") && md.contains("`, origin https\\://a&lt;b&gt;&amp;c\\\\u{1b}\\[2J |"), "\(md)")
        let html = try team.sigit(nil, "certificate", "nda-1", "--format", "html").check().stdout
        #expect(!html.contains("\u{1b}") && !html.contains("<b>") && html.contains("</code><br>origin <code>https://a&lt;b&gt;&amp;c\\u{1b}[2J</code>"))
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("pkg")).check()
        let exported = try String(contentsOfFile: team.sandbox.path("pkg/certificate.html"), encoding: .utf8)
        #expect(!exported.contains("\u{1b}") && !exported.contains("<b>") && exported.contains("&lt;b&gt;&amp;c"))
        #expect(try ExportTests.runGuide(team, "pkg").status == 0)
    }
}
