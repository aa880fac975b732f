import Foundation
import Testing

/// `sigit timestamp`, and approve and seal time-stamping their own events (spec section 8), against a real TSA on
/// loopback (`openssl ts -reply`, TestSupport's TSAFixture) and TSAs that misbehave (bad_tsa.py), with the real binary.
/// Every token written is also checked by `openssl ts -verify` over `git cat-file commit`, and every history by
/// `sigit verify`.
@Suite("timestamp")
struct TimestampCommandTests {
    let fixture: TSAFixture

    init() throws { fixture = try TSAFixture.shared.get() }

    /// A team whose policy trusts CA A (the fixture's trusted root) with the P-256 TSA as its url, bot holding
    /// `timestamp`, and a second agreement nda-2 sent beside nda-1.
    func team(url: String? = nil, approvals: Bool = false, grantBot: Bool = true, secondAgreement: Bool = true) throws -> Team {
        let team = try Team()
        try team.enableTimestamping([(name: "test-tsa", certificate: fixture.file("caA.pem"), url: url ?? fixture.url(.p256))], approvals: approvals)
        if grantBot { try team.sigit("alice", "grant", "timestamp", "bot").check() }
        if secondAgreement {
            try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Globex", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
            try team.sigit("bot", "send", "nda-2").check()
        }
        return team
    }

    /// Expects HEAD to be a timestamp event adding exactly one token per commit of `covered` and nothing else, each
    /// accepted by `openssl ts -verify` over that commit's object with CA A.
    func expectTokens(_ team: Team, cover covered: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try covered.map { "A\t.sigit/timestamps/\(try team.eventID($0)).tsr" }.sorted()
        #expect(try team.changes().sorted() == expected, sourceLocation: sourceLocation)
        let message = try team.git("log", "-1", "--format=%B").check().stdout
        #expect(message.contains("Sigit-Action: timestamp") && !message.contains("Sigit-Agreement"), sourceLocation: sourceLocation)
        for commit in covered {
            let token = try Data(contentsOf: URL(fileURLWithPath: team.sandbox.path("\(team.repo)/.sigit/timestamps/\(try team.eventID(commit)).tsr")))
            let checked = try fixture.opensslVerify(token, check: ["-data", try team.commitObjectFile(commit)], trust: ["caA.pem"])
            #expect(checked.ok, "openssl ts -verify for \(commit): \(checked.output)", sourceLocation: sourceLocation)
        }
    }

    @Test("stamping two agreements writes one timestamp event adding one token per event, which openssl accepts; a second run writes nothing")
    func stampTwoAgreements() throws {
        let team = try team()
        for who in ["alice", "bob"] { try team.sigit(who, "approve", "nda-1").check() }
        let covered = try team.agreementCommits(["nda-1", "nda-2"])
        #expect(covered.count == 6, "draft, send, alice's and bob's approvals of nda-1; draft and send of nda-2")
        let before = try team.tip()
        let run = try team.sigit("bot", "timestamp", "nda-1", "nda-2")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.contains("recorded 6 tokens in") && run.stdout.contains("by \(fixture.url(.p256))"), "\(run.stdout)")
        #expect(try team.git("rev-parse", "HEAD^").check().stdout.hasPrefix(before), "exactly one commit was written")
        try expectTokens(team, cover: covered)
        try team.expectClean(not: "timestamp")

        let stamped = try team.tip()
        let again = try team.sigit("bot", "timestamp", "nda-1", "nda-2", "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let report = try again.json()
        #expect(report["commit"] is NSNull || report["commit"] == nil)
        #expect((report["stamped"] as? [Any])?.isEmpty == true && report["alreadyStamped"] as? Int == 6, "\(again.stdout)")
        #expect(try team.tip() == stamped, "a run with nothing to do writes nothing")
        let text = try team.sigit("bot", "timestamp", "--all").check()
        #expect(text.stdout.contains("recorded") && !text.stdout.contains("nda-"), "--all stamps the policy events left: \(text.stdout)")
        #expect(try team.changes().allSatisfy { $0.hasPrefix("A\t.sigit/timestamps/") && $0.hasSuffix(".tsr") })
        #expect(try team.sigit("bot", "timestamp", "--all").check().stdout.contains("nothing to stamp"))
        try team.expectClean(not: "timestamp")
    }

    @Test("a TSA answering garbage, one that never answers and one not in the policy each get one warning; the next TSA is used")
    func failingTSAsAreSkipped() throws {
        let team = try team(secondAgreement: false)
        let garbage = try MisbehavingTSA(.garbage), hang = try MisbehavingTSA(.hang), failing = try MisbehavingTSA(.error)
        let covered = try team.agreementCommits(["nda-1"])
        let started = Date()
        let run = try team.sigit("bot", ["timestamp", "--timeout", "2", "--tsa", garbage.url, "--tsa", hang.url, "--tsa", failing.url,
                                         "--tsa", fixture.url(.unlisted), "--tsa", fixture.url(.rsa), "nda-1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 30, "the hanging TSA is given up after --timeout")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "one warning per failing TSA: \(run.stderr)")
        #expect(lines.contains { $0.hasPrefix("sigit: warning: the TSA \(garbage.url) answered") && $0.contains("not an RFC 3161 time-stamp response") }, "\(run.stderr)")
        #expect(lines.contains { $0 == "sigit: warning: the TSA \(hang.url) did not answer within 2 seconds" }, "\(run.stderr)")
        #expect(lines.contains { $0.hasPrefix("sigit: warning: the TSA \(failing.url) answered HTTP 503: service unavailable") }, "\(run.stderr)")
        #expect(lines.contains { $0.hasPrefix("sigit: warning: the TSA \(fixture.url(.unlisted)) gave a token that does not count") && $0.contains("does not chain to a trusted authority") }, "\(run.stderr)")
        let tsaLines = run.stdout.split(separator: "\n").filter { $0.hasPrefix("stamped\t") }
        #expect(tsaLines.count == covered.count && tsaLines.allSatisfy { $0.hasSuffix("by \(fixture.url(.rsa))") }, "\(run.stdout)")
        try expectTokens(team, cover: covered)
        try team.expectClean(not: "timestamp")
    }

    @Test("when no TSA gives a token nothing is written and the exit status is 2; a policy without authorities or urls is refused up front")
    func allFailing() throws {
        let team = try team(url: "http://127.0.0.1:1/unused", secondAgreement: false)
        let garbage = try MisbehavingTSA(.garbage), large = try MisbehavingTSA(.large)
        let before = try team.tip()
        let run = try team.sigit("bot", ["timestamp", "--tsa", garbage.url, "--tsa", large.url, "--tsa", fixture.url(.unlisted), "nda-1"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("no TSA gave a token; nothing was written") && run.stderr.contains("no TSA stamped"), "\(run.stderr)")
        #expect(run.stderr.contains("sigit: warning: the TSA \(large.url) answered more than 262144 bytes\n"), "\(run.stderr)")
        #expect(try team.tip() == before)
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path("\(team.repo)/.sigit/timestamps")))

        let refused = try team.sigit("bot", "timestamp", "nda-1")
        #expect(refused.status == 2 && refused.stderr.contains("the TSA http://127.0.0.1:1/unused could not be reached"), "the policy's url is used without --tsa: \(refused.stderr)")
        let bad = try team.sigit("bot", "timestamp", "--tsa", "ftp://example.com/tsa", "nda-1")
        #expect(bad.status == 2 && bad.stderr == "sigit: --tsa: the TSA ftp://example.com/tsa is not an http:// or https:// URL without spaces; nothing was written\n", "\(bad.stderr)")
        let unknown = try team.sigit("bot", "timestamp", "--tsa", fixture.url(.p256), "nda-9")
        #expect(unknown.status == 2 && unknown.stderr.contains("no agreement nda-9"), "\(unknown.stderr)")
        let neither = try team.sigit("bot", "timestamp")
        #expect(neither.status != 0 && neither.stderr.contains("agreement ids, or --all"), "\(neither.stderr)")
        let zero = try team.sigit("bot", "timestamp", "--timeout", "0", "nda-1")
        #expect(zero.status != 0 && zero.stderr.contains("--timeout must be a number of seconds above 0"), "\(zero.stderr)")
        #expect(try team.tip() == before)

        let plain = try Team()
        let noPolicy = try plain.sigit("alice", "timestamp", "--tsa", fixture.url(.p256), "--all")
        #expect(noPolicy.status == 2 && noPolicy.stderr.contains("lists no time-stamping authority"), "\(noPolicy.stderr)")
        try team.expectClean(not: "timestamp")
    }

    @Test("a TSA that fails after the first token: that token is recorded, the other event is listed, exit 3; a later run stamps it")
    func partlyStamped() throws {
        let team = try team(secondAgreement: false)
        let once = try MisbehavingTSA(.once, upstream: fixture.url(.p256))
        let covered = try team.agreementCommits(["nda-1"])
        #expect(covered.count == 2, "draft and send")
        let run = try team.sigit("bot", "timestamp", "--tsa", once.url, "nda-1")
        #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("recorded 1 token in"), "\(run.stdout)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines == ["sigit: warning: the TSA \(once.url) answered HTTP 503: service unavailable: try later",
                          "sigit: timestamp: no TSA stamped \(covered[1].prefix(12)) (nda-1); nothing recorded for it"], "\(run.stderr)")
        try expectTokens(team, cover: [covered[0]])
        try team.expectClean(not: "timestamp")
        let rest = try team.sigit("bot", "timestamp", "nda-1")
        #expect(rest.status == 0 && rest.stdout.contains("recorded 1 token in"), "\(rest.stdout) \(rest.stderr)")
        try expectTokens(team, cover: [covered[1]])
        try team.expectClean(not: "timestamp")
    }

    @Test("an identity without the timestamp permission stamps only the events it signed, and says so")
    func ownEventsOnly() throws {
        let team = try team(grantBot: false, secondAgreement: false)
        for who in ["alice", "bob"] { try team.sigit(who, "approve", "nda-1").check() }
        let approval = try team.tip()
        let run = try team.sigit("bob", "timestamp", "nda-1")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("bob has no timestamp permission and stamps only its own events; 3 events signed by others left"), "\(run.stderr)")
        #expect(run.stdout.contains("recorded 1 token in"), "\(run.stdout)")
        try expectTokens(team, cover: [approval])
        try team.expectClean(not: "timestamp")
        let carol = try team.sigit("carol", "timestamp", "nda-1")
        #expect(carol.status == 0 && carol.stdout.contains("nothing to stamp: every selected event you may stamp has a token"), "\(carol.stdout) \(carol.stderr)")
    }

    @Test("approve with approvals: true leaves the approval and a timestamp event over it; a failing TSA leaves the approval and one warning")
    func approveStamps() throws {
        let team = try team(approvals: true, grantBot: false, secondAgreement: false)
        let before = try team.tip()
        let run = try team.sigit("alice", "approve", "nda-1")
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.contains("approved nda-1") && run.stdout.contains("time-stamped the approval"), "\(run.stdout)")
        let approval = try team.git("rev-parse", "HEAD^").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.git("rev-parse", "HEAD^^").check().stdout.hasPrefix(before))
        #expect(try team.git("log", "-1", "--format=%B", approval).check().stdout.contains("Sigit-Action: approve"))
        try expectTokens(team, cover: [approval])
        try team.expectClean(not: "timestamp")

        let garbage = try MisbehavingTSA(.garbage)
        try team.editPolicy { $0.replacingOccurrences(of: "url: \(fixture.url(.p256))", with: "url: \(garbage.url)") }.check()
        let policy = try team.tip()
        let failed = try team.sigit("bob", "approve", "nda-1")
        #expect(failed.status == 0, "\(failed.stderr)")
        let lines = failed.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("sigit: warning: the approval is recorded but not time-stamped (the TSA \(garbage.url) answered")
                && lines[0].hasSuffix("run sigit timestamp nda-1 later"), "\(failed.stderr)")
        #expect(try team.git("rev-parse", "HEAD^").check().stdout.hasPrefix(policy), "only the approval was written")
        #expect(try team.git("log", "-1", "--format=%B").check().stdout.contains("Sigit-Action: approve"))
        try team.expectClean(not: "timestamp")
    }

    @Test("seal stamps the agreement's events that have no token before tagging; without a url it notes it and seals anyway")
    func sealStamps() throws {
        let team = try team(grantBot: false, secondAgreement: false)
        try team.sigit("alice", "grant", "timestamp", "alice").check()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        let completing = try team.tip()
        let covered = try team.agreementCommits(["nda-1"])
        let run = try team.sigit("alice", "seal", "nda-1")
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.contains("time-stamped \(covered.count) events of nda-1") && run.stdout.contains("sealed nda-1"), "\(run.stdout)")
        try expectTokens(team, cover: covered)
        let target = try team.git("rev-parse", "sigit/nda-1/completed^{commit}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(target == completing)
        try team.expectClean(not: "timestamp")

        let other = try self.team(url: nil, grantBot: false, secondAgreement: false)
        try other.editPolicy { $0.components(separatedBy: "\n").filter { !$0.hasPrefix("      url: ") }.joined(separator: "\n") }.check()
        for who in ["alice", "bob", "carol"] { try other.sigit(who, "approve", "nda-1").check() }
        let tip = try other.tip()
        let noted = try other.sigit("alice", "seal", "nda-1")
        #expect(noted.status == 0, "\(noted.stderr)")
        #expect(noted.stderr.split(separator: "\n").count == 1 && noted.stderr.hasPrefix("sigit: note: sealing with 5 events of nda-1 without a token: no authority of the policy has a url"), "\(noted.stderr)")
        #expect(try other.tip() == tip && noted.stdout.contains("sealed nda-1"))
    }
}
