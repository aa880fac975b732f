import Foundation
import Testing
import TrustedTime

/// Spec section 8, *Trusted time*: "Certificates and `log` show the trusted time beside the committer time, and flag a
/// committer time later than the trusted time by more than the policy's `max-skew` (default 10m) as a warning."
@Suite("trusted time in log and certificates")
struct TrustedTimeEvidenceTests {
    /// A team whose policy lists the loopback TSA's root A, with alice's approval (committer time now) and bob's
    /// (hand-made, committer time two hours ahead) time-stamped by the P-256 TSA in one timestamp event by bot.
    /// Returns the team, the two approvals, the timestamp event and `sigit log` just before it.
    static func stampedTeam() async throws -> (team: Team, alice: String, bob: String, stamp: String, logBefore: String) {
        let team = try Team()
        try team.listAuthorities([("test-root", try TSAFixture.shared.get().file("caA.pem"))])
        try team.sigit("alice", "approve", "nda-1").check()
        let alice = try team.tip()
        let ahead = ISO8601DateFormatter().string(from: Date().addingTimeInterval(7_200))
        try team.handApprove("bob", step: "signatures", extra: ["GIT_COMMITTER_DATE": ahead]).check()
        let bob = try team.tip()
        let before = try team.sigit(nil, "log").check().stdout
        let stamp = try team.addTokens([(alice, try await team.loopbackToken(alice, by: .p256)),
                                        (bob, try await team.loopbackToken(bob, by: .p256))])
        return (team, alice, bob, stamp, before)
    }

    @Test("sigit log shows the trusted time, the authority and the TSA under each stamped event, and the clock-skew warning; other events print as before")
    func logText() async throws {
        let (team, alice, bob, stamp, before) = try await Self.stampedTeam()
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.warnings.contains("clock-skew"), "\(verdict)")
        let aliceTime = try team.opensslGenTime(try team.tokenFile(alice)), bobTime = try team.opensslGenTime(try team.tokenFile(bob))
        let lines = try team.sigit(nil, "log").check().stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let a = lines.firstIndex(where: { $0.contains(String(alice.prefix(12))) }), let b = lines.firstIndex(where: { $0.contains(String(bob.prefix(12))) }) else {
            Issue.record("the approvals are not in the log: \(lines)")
            return
        }
        #expect(lines[a + 1] == "    trusted time \(aliceTime) by test-root (CN=sigit test TSA P-256)", "\(lines[a + 1])")
        // Two hours ahead, less the time the token took to come (a minute or two on a busy machine).
        let warning = "    trusted time \(bobTime) by test-root (CN=sigit test TSA P-256)  WARNING: clock skew: the committer time is "
        #expect(lines[b + 1].hasPrefix(warning + "1h ") || lines[b + 1].hasPrefix(warning + "2h"), "\(lines[b + 1])")
        #expect(lines[b + 1].hasSuffix("later than the trusted time"))
        // Control: without the trusted-time lines and the timestamp event itself, the log is what it was.
        let stampLine = lines.firstIndex { $0.contains(String(stamp.prefix(12))) }
        let rest = lines.enumerated().filter { !$0.element.hasPrefix("    trusted time ") && $0.offset != stampLine }.map(\.element)
        #expect(rest.joined(separator: "\n") == before, "\(rest.joined(separator: "\n"))\n---\n\(before)")
        #expect(lines.filter { $0.hasPrefix("    trusted time ") }.count == 2)
    }

    @Test("sigit log --json and certificate --json carry trustedTime (genTime, authority, tsaSubject, addedBy, path, clockSkew) on stamped events only")
    func json() async throws {
        let (team, alice, bob, stamp, _) = try await Self.stampedTeam()
        let times = [alice: try team.opensslGenTime(try team.tokenFile(alice)), bob: try team.opensslGenTime(try team.tokenFile(bob))]
        let log = (try team.sigit(nil, "log", "--json").check().json()["events"] as? [[String: Any]]) ?? []
        let certificate = (try team.sigit(nil, "certificate", "nda-1", "--json").check().json()["events"] as? [[String: Any]]) ?? []
        #expect(certificate.count >= 4 && log.count > certificate.count)
        for (source, events) in [("log", log), ("certificate", certificate)] {
            for event in events {
                let commit = event["commit"] as? String ?? ""
                let trusted = event["trustedTime"] as? [String: Any]
                guard let genTime = times[commit] else {
                    #expect(trusted == nil, "\(source): \(commit) has no token: \(event)")
                    continue
                }
                #expect(trusted?["genTime"] as? String == genTime, "\(source): \(event)")
                #expect(trusted?["authority"] as? String == "test-root" && trusted?["tsaSubject"] as? String == "CN=sigit test TSA P-256", "\(source): \(event)")
                #expect(trusted?["addedBy"] as? String == stamp, "\(source): \(event)")
                #expect(trusted?["path"] as? String == ".sigit/timestamps/\(try team.eventHex(commit)).tsr", "\(source): \(event)")
                #expect(trusted?["clockSkew"] as? Bool == (commit == bob), "\(source): \(event)")
                let skew = trusted?["skewSeconds"] as? Int ?? 0
                #expect(commit == bob ? (3_600...7_200).contains(skew) : (-900...1).contains(skew), "\(source): \(skew)")
            }
        }
    }

    @Test("certificates in Markdown and HTML show the trusted time beside the committer time, the skew warning, and what a trusted time proves")
    func documents() async throws {
        let (team, alice, bob, _, _) = try await Self.stampedTeam()
        let aliceTime = try team.opensslGenTime(try team.tokenFile(alice)), bobTime = try team.opensslGenTime(try team.tokenFile(bob))
        let md = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        let row = md.split(separator: "\n").first { $0.contains("`\(alice.prefix(12))`") } ?? ""
        #expect(row.hasPrefix("| `") && row.contains(" committer<br>`\(aliceTime)` trusted, by test-root (CN=sigit test TSA P-256) | approve (step legal-review)"), "\(row)")
        let bobRow = md.split(separator: "\n").first { $0.contains("`\(bob.prefix(12))`") } ?? ""
        #expect(bobRow.contains("`\(bobTime)` trusted, by test-root (CN=sigit test TSA P-256)<br>**clock skew: the committer time is"), "\(bobRow)")
        #expect(md.contains("It does not vouch for who signed the event"))
        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(html.contains(" committer<br>\(aliceTime) trusted, by test-root (CN=sigit test TSA P-256)</td>"), "\(html)")
        #expect(html.contains("\(bobTime) trusted, by test-root (CN=sigit test TSA P-256)<br><span class=\"bad\">clock skew: the committer time is"))
        #expect(html.contains("It does not vouch for who signed the"))
        // Control: the certificate of an agreement without tokens says nothing of trusted time.
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Other", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        for format in ["md", "html"] {
            let other = try team.sigit(nil, "certificate", "nda-2", "--format", format).check().stdout
            #expect(!other.contains("trusted") && !other.contains("committer<br>"), "\(format): \(other)")
        }
    }

    @Test("a hostile TSA subject (markup, a Markdown link, a table bar, U+202E) is escaped in log, Markdown and HTML, and carried as it is in JSON")
    func hostileSubject() throws {
        let team = try Team()
        let tsa = try HostileTSA(team.sandbox)
        try team.listAuthorities([("hostile-root", tsa.rootPEM)])
        try team.sigit("alice", "approve", "nda-1").check()
        let alice = try team.tip()
        try team.addTokens([(alice, try tsa.token(over: try team.commitObject(alice)))])
        let verdict = try team.verify()
        #expect(verdict.status == 0 && verdict.violations.isEmpty, "\(verdict)")

        let log = try team.sigit(nil, "log").check().stdout
        let line = log.split(separator: "\n").first { $0.hasPrefix("    trusted time ") }.map(String.init) ?? ""
        #expect(line.contains("by hostile-root (") && line.contains("img src=x onerror=alert(1)") && line.contains("\\u{202e}gnp.exe"), "\(line)")
        #expect(!log.unicodeScalars.contains("\u{202E}"))

        let json = try team.sigit(nil, "certificate", "nda-1", "--json").check().json()
        let event = (json["events"] as? [[String: Any]])?.first { $0["commit"] as? String == alice }
        let subject = (event?["trustedTime"] as? [String: Any])?["tsaSubject"] as? String ?? ""
        #expect(subject.contains("img src=x onerror=alert(1)") && subject.contains("[link](javascript:x) | \u{202E}gnp.exe"), "\(subject)")

        let html = try team.sigit(nil, "certificate", "nda-1").check().stdout
        #expect(!html.contains("<img") && html.contains("&lt;img src=x onerror=alert(1)") && html.contains("\\u{202e}gnp.exe"), "\(html)")
        #expect(!html.unicodeScalars.contains("\u{202E}"))
        let md = try team.sigit(nil, "certificate", "nda-1", "--format", "md").check().stdout
        let row = md.split(separator: "\n").first { $0.contains("`\(alice.prefix(12))`") }.map(String.init) ?? ""
        #expect(!row.contains("<img") && !row.contains("[link](") && row.contains("\\[link\\]") && row.contains("\\*bold\\*") && row.contains("\\|"), "\(row)")
        #expect(!md.unicodeScalars.contains("\u{202E}"))
        // The row keeps its seven cells: the subject's bar does not open one.
        #expect(row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 8, "\(row)")
    }
}
