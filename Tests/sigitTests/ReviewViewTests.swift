import Foundation
import Testing

/// Issue 15, "review that feels like a pull request": the first review lists the documents, `status --mine`,
/// `inbox` with pending policy changes and `--all`, and comments in certificates.
@Suite("review, status and inbox views")
struct ReviewViewTests {
    @Test("a first review lists every document with its path and size and prints text documents, escaped; binary ones are described")
    func firstReview() throws {
        let team = try Team(send: false)
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2]).write(to: URL(fileURLWithPath: team.sandbox.path("repo/agreements/nda-1/scan.png")))
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nEscape \u{1B}[2J here.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "scan").check()
        try team.sigit("bot", "send", "nda-1").check()
        let review = try team.sigit("alice", "review", "nda-1", "--json").check().json()
        let documents = try #require(review["documents"] as? [[String: Any]])
        #expect(documents.map { $0["path"] as? String } == ["agreement.yml", "nda.md", "scan.png"])
        let scan = try #require(documents.last)
        #expect(scan["size"] as? Int == 7 && scan["binary"] as? Bool == true && scan["text"] == nil)
        let nda = try #require(documents.first { $0["path"] as? String == "nda.md" })
        #expect((nda["text"] as? String ?? "").contains("Escape \u{1B}[2J here."))
        let text = try team.sigit("alice", "review", "nda-1").check().stdout
        #expect(text.contains("documents (your first review):") && text.contains("scan.png  7 bytes") && text.contains("(binary, not shown)"))
        #expect(text.contains("| Escape \\u{1b}[2J here.") && !text.contains("\u{1B}") && !text.contains("none: this is the version you saw"))

        // After alice's approval her review is no longer a first one.
        try team.sigit("alice", "approve", "nda-1").check()
        let again = try team.sigit("alice", "review", "nda-1", "--json").check().json()
        #expect(again["documents"] == nil)
        #expect(try team.sigit("alice", "review", "nda-1").check().stdout.contains("none: this is the version you saw"))
    }

    @Test("status --mine lists what waits on me, what I sent and what I revised; needs a key in the policy")
    func statusMine() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        func ids(_ who: String) throws -> [String] {
            let rows = try team.sigit(who, "status", "--mine", "--json").check().json()["agreements"] as? [[String: Any]] ?? []
            return rows.compactMap { $0["id"] as? String }
        }
        #expect(try ids("alice") == ["nda-1"], "legal review waits on alice")
        #expect(try ids("bob").isEmpty, "bob's step is not open yet")
        #expect(try ids("bot") == ["nda-1", "nda-2"], "bot sent one and drafted the other")
        let bad = try team.sigit("mallory", "status", "--mine")
        #expect(bad.status == 2 && bad.stderr.contains("not in the policy"))
    }

    @Test("inbox shows policy changes waiting for my signature (not once signed), and --all what I sent and whom it waits on")
    func inbox() throws {
        let team = try PolicyVerbTests.twoAdmins()
        let proposed = try team.sigit("alice", "role", "add", "legal", "carol").check()
        #expect(proposed.stdout.contains("pending"))
        let dave = try team.sigit("dave", "inbox", "--json").check().json()
        let policies = try #require(dave["policies"] as? [[String: Any]])
        #expect(policies.count == 1 && policies.first?["approvals"] as? Int == 1)
        #expect(try team.sigit("dave", "inbox").check().stdout.contains("sigit policy approve --digest sha256:"))
        let alice = try team.sigit("alice", "inbox", "--json").check().json()
        #expect((alice["policies"] as? [[String: Any]])?.isEmpty == true, "alice proposed it: her signature counts already")
        #expect(alice["sent"] == nil)

        let bot = try team.sigit("bot", "inbox", "--all", "--json").check().json()
        let sent = try #require((bot["sent"] as? [[String: Any]])?.first)
        #expect(sent["id"] as? String == "nda-1" && sent["step"] as? String == "legal-review")
        #expect((sent["waiting-on"] as? [String]) == ["role:legal"])
        let text = try team.sigit("bot", "inbox", "--all").check().stdout
        #expect(text.contains("sent by bot:") && text.contains("waits on role:legal"))
    }

    @Test("certificates list comments as non-decisive events in JSON, Markdown and HTML, escaped")
    func certificateComments() throws {
        let team = try Team()
        let made = try team.sigit("bob", "comment", "nda-1", "-m", "<script>alert(1)</script> *bold*", "--file", "nda.md", "--line", "1").check().stdout
        #expect(made.contains("thread id sha256:"))
        let json = try team.sigit(nil, "certificate", "nda-1", "--format", "json").check().json()
        let events = json["events"] as? [[String: Any]] ?? []
        let comment = try #require(events.first { $0["action"] as? String == "comment" })
        #expect(comment["effect"] as? String == "non-decisive")
        let part = try #require(comment["comment"] as? [String: Any])
        #expect(part["file"] as? String == "nda.md" && part["line"] as? Int == 1 && part["resolves"] as? Bool == false && part["event"] as? String == part["thread"] as? String)
        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(html.contains("non-decisive") && html.contains("opens thread") && !html.contains("<script>") && html.contains("&lt;script&gt;"))
        let markdown = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        #expect(markdown.contains("non-decisive") && markdown.contains("opening thread") && !markdown.contains("<script>"))
    }
}
