import Foundation
import Testing

/// `sigit certificate`: the certificate of completion, derived from verified history.
@Suite("certificate")
struct CertificateTests {
    static func certificate(_ team: Team, _ id: String = "nda-1", _ extra: String...) throws -> [String: Any] {
        try team.sigit(nil, ["certificate", id, "--format", "json"] + extra).check().json()
    }

    static func events(_ cert: [String: Any]) -> [[String: Any]] { cert["events"] as? [[String: Any]] ?? [] }

    @Test("an interim certificate says so; the completed one lists every event with identity, key and effect, and documents match sha256sum")
    func completed() throws {
        let team = try Team()
        let interim = try Self.certificate(team)
        #expect(interim["interim"] as? Bool == true)
        #expect((interim["agreement"] as? [String: Any])?["state"] as? String == "in-progress")
        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(html.contains("class=\"interim\"") && html.contains("INTERIM") && html.contains("position: fixed"))

        try team.sigit("alice", "approve", "nda-1", "-m", "legal ok").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.sigit("carol", "approve", "nda-1", "-m", "signed for Acme").check()
        let tip = try team.tip()
        let cert = try Self.certificate(team)
        #expect(cert["schema"] as? String == "sigit-certificate/2")
        #expect(cert["interim"] as? Bool == false)
        let agreement = try #require(cert["agreement"] as? [String: Any])
        #expect(agreement["state"] as? String == "completed" && agreement["stateCommit"] as? String == tip)
        #expect(agreement["digest"] as? String == (try team.digest("nda-1")))
        let repository = try #require(cert["repository"] as? [String: Any])
        let root = try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(repository["trustRoot"] as? String == root && repository["commit"] as? String == tip)
        #expect((cert["verdict"] as? [String: Any])?["ok"] as? Bool == true)
        #expect((cert["policy"] as? [String: Any])?["serial"] as? Int == (try team.policySerial()))

        // Documents: the same SHA-256 as coreutils computes on the checkout.
        let documents = try #require(agreement["documents"] as? [[String: Any]])
        #expect(documents.map { $0["path"] as? String } == ["agreement.yml", "nda.md"])
        for document in documents {
            let path = "agreements/nda-1/" + (document["path"] as? String ?? "")
            let sum = try team.sandbox.run("/usr/bin/env", ["sha256sum", path], in: team.sandbox.path(team.repo)).check().stdout
            #expect(sum.hasPrefix(document["sha256"] as? String ?? "-"))
        }

        // Events: who, which key (as ssh-keygen prints its fingerprint), what it did.
        let events = Self.events(cert)
        #expect(events.map { $0["action"] as? String } == ["draft", "send", "approve", "approve", "approve"])
        #expect(events.filter { $0["action"] as? String == "approve" }.allSatisfy { $0["effect"] as? String == "counted" })
        let carol = try #require(events.last)
        let fingerprint = try team.sandbox.run("/usr/bin/env", ["ssh-keygen", "-lf", team.sandbox.path("keys/carol.pub")], in: team.sandbox.root.path).check().stdout
        #expect(fingerprint.contains(carol["fingerprint"] as? String ?? "-"))
        #expect(carol["keyType"] as? String == "ssh-ed25519" && carol["identity"] as? String == "carol")
        #expect(carol["text"] as? String == "signed for Acme" && carol["step"] as? String == "signatures" && carol["commit"] as? String == tip)
        let people = try #require(cert["identities"] as? [[String: Any]])
        let bot = try #require(people.first { $0["id"] as? String == "bot" })
        #expect(bot["kind"] as? String == "service" && bot["owner"] as? String == "alice" && bot["email"] as? String == "bot@example.com")

        let done = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(done.contains("Certificate of Completion") && !done.contains("class=\"interim\""))
        let markdown = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        #expect(markdown.hasPrefix("# Certificate of Completion") && markdown.contains(carol["fingerprint"] as? String ?? "-"))
    }

    @Test("stale approvals, notices and a later revision show with their effect; --at shows an earlier state")
    func effects() throws {
        let team = try Team()
        try team.sigit("alice", "grant", "notify", "bot").check()
        try team.sigit("alice", "approve", "nda-1").check()
        let approved = try team.tip()
        try team.sigit("bot", "notify", "--channel", "outbox:" + team.sandbox.path("outbox")).check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nA late clause.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "late clause").check()
        let cert = try Self.certificate(team)
        let events = Self.events(cert)
        #expect(events.first { $0["commit"] as? String == approved }?["effect"] as? String == "stale")
        let notices = events.filter { $0["action"] as? String == "notify" }
        #expect(!notices.isEmpty && notices.allSatisfy { ($0["notice"] as? [String: Any])?["channel"] as? String == "outbox" })
        #expect((cert["agreement"] as? [String: Any])?["state"] as? String == "draft" && cert["interim"] as? Bool == true)
        let earlier = try Self.certificate(team, "nda-1", "--at", approved)
        #expect((earlier["repository"] as? [String: Any])?["commit"] as? String == approved)
        #expect(Self.events(earlier).last?["effect"] as? String == "counted")
    }

    @Test("hostile text (markup in a title and a reason) is escaped in HTML and Markdown; the page has no element it did not write")
    func escapes() throws {
        let team = try Team(nda: false)
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        try team.sigit("bot", "new", "nda", "nda-x", "--set", "counterparty=\(hostile)", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", "nda-x").check()
        try team.sigit("alice", "decline", "nda-x", "--reason=</td></tr></table><a href=\"javascript:x\">click</a> & [link](http://evil)").check()
        let html = try team.sigit(nil, "certificate", "nda-x").check().stdout
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<a "))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;/td&gt;&lt;/tr&gt;"))
        // Parse the page: only the tags the renderer writes may appear.
        let parser = """
        import sys
        from html.parser import HTMLParser
        seen = set()
        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                seen.add(tag)
                for name, _ in attrs:
                    if name.startswith("on") or name == "href" or name == "src": print("BAD ATTR", name)
        P().feed(sys.stdin.read())
        print(" ".join(sorted(seen)))
        """
        try parser.write(toFile: team.sandbox.path("tags.py"), atomically: true, encoding: .utf8)
        try html.write(toFile: team.sandbox.path("cert.html"), atomically: true, encoding: .utf8)
        let tags = try team.sandbox.run("/bin/sh", ["-c", "python3 tags.py < cert.html"], in: team.sandbox.root.path).check().stdout
        let allowed: Set<String> = ["html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "strong", "span", "br"]
        #expect(!tags.contains("BAD ATTR"))
        #expect(Set(tags.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)).isSubset(of: allowed), "tags: \(tags)")
        let markdown = try team.sigit(nil, "certificate", "nda-x", "--format", "md").check().stdout
        #expect(!markdown.contains("<script") && !markdown.contains("<a ") && !markdown.contains("[link](http"))
        let json = try Self.certificate(team, "nda-x")
        #expect((json["agreement"] as? [String: Any])?["title"] as? String == "Mutual NDA with \(hostile)", "JSON keeps the text as it is")
    }

    @Test("bad input: unknown agreement, unknown revision, unwritable output, unknown format; nothing is written")
    func badInput() throws {
        let team = try Team()
        let before = try team.tip()
        for args in [["certificate", "nope"], ["certificate", "nda-1", "--at", "no-such-rev"], ["certificate", "nda-1", "-o", team.sandbox.path("missing/dir/cert.html")],
                     ["certificate", "nda-1", "--format", "pdf"], ["certificate", "../x"]] {
            let result = try team.sigit(nil, args)
            #expect(result.status != 0 && result.status != 1, "\(args)")
            #expect(!result.stderr.isEmpty && result.stdout.isEmpty, "\(args): \(result.stdout)")
        }
        #expect(try team.tip() == before)
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path("missing")))
        try team.sigit(nil, "certificate", "nda-1", "-o", team.sandbox.path("cert.json"), "--format", "json").check()
        #expect(try Data(contentsOf: URL(fileURLWithPath: team.sandbox.path("cert.json"))).count > 100)
    }
}
