import Foundation
import Testing

/// `sigit notify` (spec §6) against real servers on loopback: what is due is derived from history, delivered, and
/// recorded as signed notify events; a second run sends nothing; a failed delivery records nothing and is retried.
@Suite("notify (spec §6)")
struct NotifyTests {
    /// The team with the notify permission for bot (the service account that runs notify).
    static func team(send: Bool = true) throws -> Team {
        let team = try Team(send: send)
        try team.sigit("alice", "grant", "notify", "bot").check()
        return team
    }

    /// RFC 3339 for `date`.
    static func at(_ date: Date) -> String { KeyLifecycleTests.rfc3339(date) }

    /// The send time of nda-1 from `git log`.
    static func sendTime(_ team: Team) throws -> Date {
        let text = try team.git("log", "-1", "--format=%ct", "--grep=^send nda-1").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return Date(timeIntervalSince1970: TimeInterval(Int(text) ?? 0))
    }

    /// `sigit notify --json` as bot with extra arguments; the parsed report.
    static func notify(_ team: Team, _ arguments: String..., extra: [String: String] = [:]) throws -> (status: Int32, report: [String: Any], stderr: String) {
        let saved = team.sandbox.environment
        defer { team.sandbox.environment = saved }
        for (k, v) in extra { team.sandbox.environment[k] = v }
        let result = try team.sandbox.sigit(team.repo, as: "bot", ["notify", "--json"] + arguments)
        let report = (try? result.json()) ?? [:]
        return (result.status, report, result.stderr)
    }

    /// (recipient, notice) pairs of one list of the report.
    static func pairs(_ report: [String: Any], _ key: String) -> [String] {
        ((report[key] as? [[String: Any]]) ?? []).map { "\($0["recipient"] as? String ?? "?"):\($0["notice"] as? String ?? "?")" }.sorted()
    }

    @Test("smtp: the request reaches alice with threading headers and commands; recorded; a second run sends nothing")
    func smtpRequest() throws {
        let team = try Self.team()
        let sink = try LoopbackSink("smtp_sink.py", directory: team.sandbox.path("smtp"))
        let channel = "smtp://127.0.0.1:\(sink.port)"
        let first = try Self.notify(team, "--channel", channel)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Self.pairs(first.report, "delivered") == ["alice:request"])
        let records = try sink.records()
        #expect(records.count == 1 && (records.first?["rcpt_tos"] as? [String]) == ["alice@example.com"])
        #expect(records.first?["mail_from"] as? String == "bot@example.com")
        let mail = try #require(try sink.messages().first)
        #expect(mail.contains("Subject: [sigit] Please review and approve: Mutual NDA with Acme (nda-1)"))
        #expect(mail.contains("Message-ID: <sigit.nda-1.") && mail.contains("In-Reply-To: <sigit.nda-1.") && mail.contains("References: <sigit.nda-1."))
        #expect(mail.contains("sigit approve nda-1 --digest \(try team.digest("nda-1"))"))
        #expect(mail.contains("Step:       legal-review (1 of 2)"))
        let trailers = try team.git("log", "-1", "--format=%(trailers:only,unfold)").check().stdout
        #expect(trailers.contains("Sigit-Action: notify") && trailers.contains("Sigit-Recipient: alice") && trailers.contains("Sigit-Notice: request") && trailers.contains("Sigit-Channel: smtp"))
        try team.git("verify-commit", "HEAD").check()
        let head = try team.tip()
        let second = try Self.notify(team, "--channel", channel)
        #expect(second.status == 0 && Self.pairs(second.report, "delivered").isEmpty)
        #expect(try sink.records().count == 1 && (try team.tip()) == head)
        try team.expectClean(not: "malformed-event")
        #expect(try team.sigit(nil, "log", "nda-1").check().stdout.contains("notify"))

        // The next step's recipients get their requests in the same thread.
        try team.sigit("alice", "approve", "nda-1").check()
        let third = try Self.notify(team, "--channel", channel)
        #expect(Self.pairs(third.report, "delivered") == ["bob:request", "carol:request"])
        let thread = try sink.messages().map { mail in mail.components(separatedBy: "\r\n").first { $0.hasPrefix("In-Reply-To:") } ?? "" }
        #expect(Set(thread).count == 1)
    }

    @Test("a failed delivery records nothing, exits 2 with the reason, and is sent on the next run")
    func failureThenRetry() throws {
        let team = try Self.team()
        let closed = try LoopbackSink("smtp_sink.py", directory: team.sandbox.path("gone"))
        let deadPort = closed.port
        closed.stop()
        let head = try team.tip()
        let failed = try Self.notify(team, "--channel", "smtp://127.0.0.1:\(deadPort)")
        #expect(failed.status == 2 && failed.stderr.contains("request of nda-1 to alice"))
        #expect(try team.tip() == head)
        let sink = try LoopbackSink("smtp_sink.py", directory: team.sandbox.path("smtp"))
        let retry = try Self.notify(team, "--channel", "smtp://127.0.0.1:\(sink.port)")
        #expect(retry.status == 0 && Self.pairs(retry.report, "delivered") == ["alice:request"])
        #expect(try sink.records().count == 1)
    }

    @Test("one failing recipient does not stop the others")
    func oneRecipientFails() throws {
        let team = try Self.team()
        try team.sigit("alice", "approve", "nda-1").check()
        let refusing = try LoopbackSink("smtp_sink.py", ["--refuse-rcpt", "bob@example.com"], directory: team.sandbox.path("smtp1"))
        let run = try Self.notify(team, "--channel", "smtp://127.0.0.1:\(refusing.port)")
        #expect(run.status == 2 && run.stderr.contains("to bob"))
        #expect(Self.pairs(run.report, "delivered") == ["carol:request"])
        #expect(Self.pairs(run.report, "failed") == ["bob:request"])
        refusing.stop()
        let sink = try LoopbackSink("smtp_sink.py", directory: team.sandbox.path("smtp2"))
        let again = try Self.notify(team, "--channel", "smtp://127.0.0.1:\(sink.port)")
        #expect(again.status == 0 && Self.pairs(again.report, "delivered").contains("bob:request") && !Self.pairs(again.report, "delivered").contains("carol:request"))
    }

    @Test("webhook: JSON POST with a verifying X-Sigit-Signature-256, retried after 503s")
    func webhook() throws {
        let team = try Self.team()
        let secret = "s3cret-for-tests"
        let sink = try LoopbackSink("webhook_sink.py", ["--secret", secret, "--fail-first", "2"], directory: team.sandbox.path("hook"))
        let run = try Self.notify(team, "--channel", "webhook:http://127.0.0.1:\(sink.port)/sigit", extra: ["SIGIT_WEBHOOK_SECRET": secret, "SIGIT_WEBHOOK_BACKOFF_MS": "20"])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try sink.records()
        #expect(records.count == 3, "two 503s, then delivered")
        let last = try #require(records.last)
        #expect(last["signature_ok"] as? Bool == true)
        let headers = last["headers"] as? [String: String] ?? [:]
        #expect(headers["x-sigit-event"] == "recipient.request")
        let body = try #require(Data(base64Encoded: last["body"] as? String ?? ""))
        let payload = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        #expect(payload["event"] as? String == "recipient.request")
        #expect((payload["data"] as? [String: String])?["agreement"] == "nda-1")
        // Stock openssl recomputes the same HMAC over the exact body bytes.
        let bodyFile = team.sandbox.path("body.json")
        try body.write(to: URL(fileURLWithPath: bodyFile))
        let mac = try team.sandbox.run("/usr/bin/env", ["openssl", "dgst", "-sha256", "-hmac", secret, "-r", bodyFile], in: team.sandbox.root.path).check()
        #expect(headers["x-sigit-signature-256"] == "sha256=" + (mac.stdout.split(separator: " ").first.map(String.init) ?? ""))
        #expect(try team.git("log", "-1", "--format=%(trailers:key=Sigit-Channel,valueonly)").check().stdout.contains("webhook"))
    }

    @Test("without the notify permission nothing is sent and nothing recorded")
    func needsPermission() throws {
        let team = try Team()
        let sink = try LoopbackSink("smtp_sink.py", directory: team.sandbox.path("smtp"))
        let head = try team.tip()
        let run = try team.sigit("bot", "notify", "--channel", "smtp://127.0.0.1:\(sink.port)")
        #expect(run.status == 2 && run.stderr.contains("notify permission"))
        #expect(try sink.records().isEmpty && (try team.tip()) == head)
    }

    @Test("fake clock: request, reminders every 2 days capped at 5, one escalation, one expiry warning, then expired and silent")
    func schedule() throws {
        let team = try Self.team()
        let sent = try Self.sendTime(team)
        let outbox = "outbox:" + team.sandbox.path("outbox")
        func run(days: Double) throws -> [String] {
            let result = try Self.notify(team, "--channel", outbox, "--now", Self.at(sent.addingTimeInterval(days * 86_400 + 60)))
            #expect(result.status == 0, "\(result.stderr)")
            return Self.pairs(result.report, "delivered")
        }
        #expect(try run(days: 0) == ["alice:request"])
        #expect(try run(days: 1) == [])
        #expect(try run(days: 2) == ["alice:reminder"])
        #expect(try run(days: 2) == [], "idempotent")
        #expect(try run(days: 5) == ["alice:reminder"], "one reminder per run, no catch-up burst")
        #expect(try run(days: 6) == ["alice:reminder"])
        #expect(try run(days: 7) == ["alice:escalation"], "escalation.to is role:legal")
        #expect(try run(days: 8) == ["alice:reminder"])
        #expect(try run(days: 10) == ["alice:reminder"])
        #expect(try run(days: 12) == [], "reminders are capped at max 5")
        let status = try team.sigit(nil, "status", "nda-1", "--json", "--now", Self.at(sent.addingTimeInterval(12 * 86_400))).check().json()
        #expect(status["overdue"] as? Bool == true && status["next-reminder"] == nil)
        #expect(try run(days: 27) == ["alice:expiry-warning", "bot:expiry-warning"])
        #expect(try run(days: 28) == [])
        #expect(try run(days: 31) == [], "expired: nothing more is due")
        let expired = try team.sigit(nil, "status", "nda-1", "--json", "--now", Self.at(sent.addingTimeInterval(31 * 86_400))).check().json()
        #expect(expired["state"] as? String == "expired")
        let files = try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("outbox")).filter { $0.hasSuffix(".eml") }
        #expect(files.count == 9, "request, 5 reminders, escalation, 2 expiry warnings")
        try team.expectClean(not: "malformed-event")
    }

    @Test("status and inbox show overdue and the next reminder time")
    func overdueInStatus() throws {
        let team = try Self.team()
        let sent = try Self.sendTime(team)
        let early = try team.sigit(nil, "status", "nda-1", "--json", "--now", Self.at(sent.addingTimeInterval(3600))).check().json()
        #expect(early["overdue"] as? Bool == false)
        #expect(early["next-reminder"] as? String == Self.at(sent.addingTimeInterval(2 * 86_400)))
        let late = try team.sigit("alice", "inbox", "--json", "--now", Self.at(sent.addingTimeInterval(3 * 86_400))).check().json()
        let item = try #require((late["items"] as? [[String: Any]])?.first)
        #expect(item["overdue"] as? Bool == true)
        let text = try team.sigit(nil, "status", "nda-1", "--now", Self.at(sent.addingTimeInterval(3 * 86_400))).check().stdout
        #expect(text.contains("overdue"))
    }

    @Test("completion: one completed notice to each participant, the sender and cc; then nothing")
    func completion() throws {
        let team = try Self.team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        let outbox = "outbox:" + team.sandbox.path("outbox")
        let run = try Self.notify(team, "--channel", outbox)
        #expect(Self.pairs(run.report, "delivered") == ["alice:completed", "bob:completed", "bot:completed", "carol:completed"])
        #expect(Self.pairs(try Self.notify(team, "--channel", outbox).report, "delivered").isEmpty)
    }

    @Test("sendmail: the message is piped to PATH -oi -t; a decline notice carries the escaped reason")
    func sendmail() throws {
        let team = try Self.team()
        let script = team.sandbox.path("fake-sendmail")
        let log = team.sandbox.path("sendmail.log")
        try "#!/bin/sh\necho \"$@\" >> \(log)\ncat >> \(log)\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try team.sigit("alice", "decline", "nda-1", "--reason", "clause 4 \u{1b}[31m is wrong").check()
        let run = try Self.notify(team, "--channel", "sendmail:" + script)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.pairs(run.report, "delivered") == ["alice:declined", "bob:declined", "bot:declined", "carol:declined"])
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("-oi -t") && text.contains("Subject: [sigit] Declined by alice"))
        #expect(text.contains("clause 4 \\u{1b}[31m is wrong") && !text.contains("\u{1b}"))
    }

    @Test("a notify event by an identity without notify, or naming an unknown recipient, is a violation")
    func handMadeNotify() throws {
        let team = try Self.team()
        let message = "notify nda-1\n\n" + team.trailers("notify", identity: "carol") + "\nSigit-Recipient: alice\nSigit-Notice: request\nSigit-Channel: smtp"
        try team.routingCommit("carol", message: message).check()
        try team.expectViolation("permission")
        let second = try Self.team()
        let ghost = "notify nda-1\n\n" + second.trailers("notify", identity: "bot") + "\nSigit-Recipient: casper\nSigit-Notice: request\nSigit-Channel: smtp"
        try second.routingCommit("bot", message: ghost).check()
        try second.expectViolation("malformed-event")
    }

    @Test("after a delegation the delegate gets a request for the step; the recipient who delegated gets no reminder")
    func requestAfterDelegation() throws {
        let team = try DelegationTests.team()
        try team.sigit("alice", "grant", "notify", "bot").check()
        try team.sigit("alice", "approve", "nda-1").check()
        let outbox = "outbox:" + team.sandbox.path("outbox")
        #expect(Self.pairs(try Self.notify(team, "--channel", outbox).report, "delivered") == ["bob:request", "carol:request"])
        try team.sigit("bob", "delegate", "nda-1", "--to", "dave").check()
        #expect(Self.pairs(try Self.notify(team, "--channel", outbox).report, "delivered") == ["dave:request"])
        let mail = try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("outbox")).filter { $0.contains(".dave.") }
        let text = try String(contentsOfFile: team.sandbox.path("outbox") + "/" + (mail.first ?? ""), encoding: .utf8)
        #expect(text.contains("You act for bob, who delegated this step to you."))
        let later = Self.at(try Self.sendTime(team).addingTimeInterval(3 * 86_400))
        #expect(Self.pairs(try Self.notify(team, "--channel", outbox, "--now", later).report, "delivered") == ["carol:reminder", "dave:reminder"])
    }
}
