import Foundation
import SigitCore
import Testing

/// The policy side of trusted time (spec section 8) through the real binary: `sigit policy timestamping add|remove|set`
/// changes the `timestamping:` section as any admin change (threshold, pending, `policy approve`), `policy show` sums up
/// each authority's certificate as openssl reads it, and `identity revoke --compromised-since` sets `compromised-since`
/// on a key, which then signs nothing new while stock git still verifies its commits made before that time against
/// the regenerated `.sigit/allowed_signers`. Certificates are made by `openssl req -x509` in the test.
@Suite("trusted time in the policy (spec §8)")
struct TimestampPolicyTests {
    // MARK: helpers

    /// Makes a self-signed certificate `<name>.pem` (key `<name>.key`) in the sandbox with openssl; returns its path.
    @discardableResult
    static func certificate(_ team: Team, _ name: String, subject: String = "/CN=Test TSA/O=Example") throws -> String {
        let pem = team.sandbox.path("\(name).pem")
        try team.sandbox.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                              "-keyout", team.sandbox.path("\(name).key"), "-out", pem, "-days", "365", "-subj", subject,
                                              "-addext", "extendedKeyUsage=critical,timeStamping"], in: team.sandbox.root.path).check()
        return pem
    }

    /// What `openssl x509 -noout <option>` prints for the certificate at `pem`, after `prefix` (one line).
    static func openssl(_ team: Team, _ pem: String, _ options: [String], prefix: String) throws -> String {
        let out = try team.sandbox.run("/usr/bin/env", ["openssl", "x509", "-in", pem, "-noout"] + options, in: team.sandbox.root.path).check().stdout
        let line = out.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init) ?? ""
        return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    /// The `timestamping` object of `sigit policy show --json`, nil when the policy has no such section.
    static func timestamping(_ team: Team) throws -> [String: Any]? {
        try PolicyVerbTests.show(team)["timestamping"] as? [String: Any]
    }

    /// The authorities `policy show --json` lists.
    static func authorities(_ team: Team) throws -> [[String: Any]] {
        try timestamping(team)?["authorities"] as? [[String: Any]] ?? []
    }

    /// The committed policy file at HEAD, as stock git reads it.
    static func committedPolicy(_ team: Team) throws -> String {
        try team.git("show", "HEAD:.sigit/policy.yml").check().stdout
    }

    /// A time `seconds` from now, in whole seconds.
    static func time(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: floor(Date().timeIntervalSince1970 + seconds)) }

    // MARK: policy timestamping add|remove|set

    @Test("add lists the authority in the policy (PEM, url), and policy show sums up its certificate as openssl does: subject, SHA-256 fingerprint, validity")
    func addAndShow() throws {
        let team = try Team(nda: false)
        let pem = try Self.certificate(team, "tsa")
        let added = try team.sigit("alice", "policy", "timestamping", "add", "example-tsa", "--certificate", pem, "--url", "https://tsa.example.com/tsr").check()
        #expect(added.stdout.contains("added time-stamping authority example-tsa"), "\(added.stdout)")
        #expect(added.stdout.contains("serial"), "\(added.stdout)")

        let file = try Self.committedPolicy(team)
        #expect(file.contains("timestamping:") && file.contains("name: example-tsa") && file.contains("url: https://tsa.example.com/tsr"), "\(file)")
        let body = try String(contentsOfFile: pem, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        #expect(!body.isEmpty && body.allSatisfy { file.contains($0) }, "the PEM lines are in the policy file")

        let listed = try Self.authorities(team)
        try #require(listed.count == 1, "\(listed)")
        let authority = listed[0]
        #expect(authority["name"] as? String == "example-tsa")
        #expect(authority["url"] as? String == "https://tsa.example.com/tsr")
        let fingerprint = try Self.openssl(team, pem, ["-fingerprint", "-sha256"], prefix: "sha256 Fingerprint=").replacingOccurrences(of: ":", with: "").lowercased()
        #expect(fingerprint.count == 64)
        #expect(authority["fingerprint"] as? String == "sha256:" + fingerprint)
        let subject = authority["subject"] as? String ?? ""
        #expect(subject.contains("CN=Test TSA") && subject.contains("O=Example"), "\(subject)")
        // openssl -dateopt iso_8601 prints "2026-12-07 09:09:22Z"; the summary is RFC 3339.
        let notBefore = try Self.openssl(team, pem, ["-startdate", "-dateopt", "iso_8601"], prefix: "notBefore=").replacingOccurrences(of: " ", with: "T")
        let notAfter = try Self.openssl(team, pem, ["-enddate", "-dateopt", "iso_8601"], prefix: "notAfter=").replacingOccurrences(of: " ", with: "T")
        #expect(authority["not-before"] as? String == notBefore, "\(authority) vs \(notBefore)")
        #expect(authority["not-after"] as? String == notAfter, "\(authority) vs \(notAfter)")
        #expect(try Self.timestamping(team)?["max-skew"] as? String == "10m")
        #expect(try Self.timestamping(team)?["approvals"] as? Bool == false)

        let text = try team.sigit(nil, "policy", "show").check().stdout
        #expect(text.contains("# time-stamping authority example-tsa, https://tsa.example.com/tsr: \(subject), sha256:\(fingerprint), valid \(notBefore) to \(notAfter)"), "\(text)")
        #expect(try team.sigit(nil, "verify").status == 0)
    }

    @Test("a second authority is appended; remove takes one out, and the section goes with the last one")
    func addTwoRemoveBoth() throws {
        let team = try Team(nda: false)
        try team.sigit("alice", "policy", "timestamping", "add", "one", "--certificate", try Self.certificate(team, "one")).check()
        try team.sigit("alice", "policy", "timestamping", "add", "two", "--certificate", try Self.certificate(team, "two", subject: "/CN=Second TSA")).check()
        #expect(try Self.authorities(team).compactMap { $0["name"] as? String } == ["one", "two"])
        #expect(try Self.authorities(team).first?["url"] == nil)

        let removed = try team.sigit("alice", "policy", "timestamping", "remove", "one").check()
        #expect(removed.stdout.contains("removed time-stamping authority one (1 left)"), "\(removed.stdout)")
        #expect(try Self.authorities(team).compactMap { $0["name"] as? String } == ["two"])

        let last = try team.sigit("alice", "policy", "timestamping", "remove", "two").check()
        #expect(last.stdout.contains("(none left)"), "\(last.stdout)")
        #expect(try Self.timestamping(team) == nil)
        #expect(try !Self.committedPolicy(team).contains("timestamping"))
        #expect(try team.sigit(nil, "verify").status == 0)
    }

    @Test("set changes max-skew and approvals, each alone or together, and the policy file says so")
    func settings() throws {
        let team = try Team(nda: false)
        try team.sigit("alice", "policy", "timestamping", "add", "tsa", "--certificate", try Self.certificate(team, "tsa")).check()
        let both = try team.sigit("alice", "policy", "timestamping", "set", "--max-skew", "2h", "--approvals", "on").check()
        #expect(both.stdout.contains("max-skew 120m, approvals on"), "\(both.stdout)")
        #expect(try Self.timestamping(team)?["max-skew"] as? String == "120m")
        #expect(try Self.timestamping(team)?["approvals"] as? Bool == true)
        #expect(try Self.committedPolicy(team).contains("approvals: true"))

        try team.sigit("alice", "policy", "timestamping", "set", "--approvals", "off").check()
        #expect(try Self.timestamping(team)?["approvals"] as? Bool == false)
        #expect(try Self.timestamping(team)?["max-skew"] as? String == "120m")
        try team.sigit("alice", "policy", "timestamping", "set", "--max-skew", "10m").check()
        #expect(try Self.timestamping(team)?["max-skew"] as? String == "10m")
        #expect(try !Self.committedPolicy(team).contains("max-skew"), "the default is left out of the file")
        #expect(try team.sigit(nil, "verify").status == 0)
    }

    @Test("every refusal of policy timestamping is one line, exit 2, and writes nothing")
    func refusals() throws {
        let team = try Team(nda: false)
        let pem = try Self.certificate(team, "tsa")
        let other = try Self.certificate(team, "other", subject: "/CN=Other TSA")
        let sandbox = team.sandbox
        // Files that are not one PEM certificate.
        let der = sandbox.path("tsa.der")
        try sandbox.run("/usr/bin/env", ["openssl", "x509", "-in", pem, "-outform", "der", "-out", der], in: sandbox.root.path).check()
        let two = sandbox.path("two.pem")
        try (String(contentsOfFile: pem, encoding: .utf8) + String(contentsOfFile: other, encoding: .utf8)).write(toFile: two, atomically: true, encoding: .utf8)
        let garbage = sandbox.path("garbage.pem")
        try "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let add = ["policy", "timestamping", "add"]
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa"], says: "needs --certificate FILE.pem")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", sandbox.path("tsa.key")], says: "holds a private key")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", der], says: "is not a PEM certificate")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", two], says: "holds 2 PEM blocks")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", garbage], says: "is not one PEM X.509 certificate")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", sandbox.path("missing.pem")], says: "cannot read --certificate")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", sandbox.root.path], says: "cannot read --certificate")
        for url in ["ftp://tsa.example.com/", "https://", "tsa.example.com", "https://tsa.example.com/a b"] {
            try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", pem, "--url", url], says: "is not an http or https address")
        }
        try PolicyVerbTests.expectRefused(team, "alice", add + ["bad name", "--certificate", pem], says: "invalid authority name")
        try PolicyVerbTests.expectRefused(team, "bob", add + ["tsa", "--certificate", pem], says: "bob is not an admin")
        let set = ["policy", "timestamping", "set"]
        try PolicyVerbTests.expectRefused(team, "alice", set + ["--approvals", "on"], says: "lists no time-stamping authority")
        try PolicyVerbTests.expectRefused(team, "alice", ["policy", "timestamping", "remove", "tsa"], says: "unknown time-stamping authority tsa; the policy lists none")
        #expect(try Self.timestamping(team) == nil)

        try team.sigit("alice", add + ["tsa", "--certificate", pem]).check()
        try PolicyVerbTests.expectRefused(team, "alice", add + ["tsa", "--certificate", other], says: "time-stamping authority tsa is already listed")
        try PolicyVerbTests.expectRefused(team, "alice", add + ["again", "--certificate", pem], says: "already listed as time-stamping authority tsa")
        try PolicyVerbTests.expectRefused(team, "alice", ["policy", "timestamping", "remove", "nope"], says: "unknown time-stamping authority nope; the policy lists tsa")
        try PolicyVerbTests.expectRefused(team, "bob", ["policy", "timestamping", "remove", "tsa"], says: "bob is not an admin")
        try PolicyVerbTests.expectRefused(team, "alice", set, says: "name a setting to change")
        for bad in ["10x", "0m", "10", "m", "ten minutes"] {
            try PolicyVerbTests.expectRefused(team, "alice", set + ["--max-skew", bad], says: "is not a duration like 10m")
        }
        try PolicyVerbTests.expectRefused(team, "alice", set + ["--approvals", "yes"], says: "--approvals takes on or off")
        try PolicyVerbTests.expectRefused(team, "alice", set + ["--max-skew", "10m", "--approvals", "off"], says: "nothing to change")
        try PolicyVerbTests.expectRefused(team, "bob", set + ["--approvals", "on"], says: "bob is not an admin")
        #expect(try Self.authorities(team).compactMap { $0["name"] as? String } == ["tsa"])
    }

    @Test("with threshold 2 an authority added by one admin is pending until another approves it")
    func thresholdFlow() throws {
        let team = try PolicyVerbTests.twoAdmins(nda: false)
        let proposed = try team.sigit("alice", "policy", "timestamping", "add", "tsa", "--certificate", try Self.certificate(team, "tsa")).check()
        #expect(proposed.stdout.contains("pending: 1 of 2 admins signed"), "\(proposed.stdout)")
        #expect(try Self.timestamping(team) == nil, "not in force while pending")
        try PolicyVerbTests.expectRefused(team, "alice", ["policy", "timestamping", "set", "--approvals", "on"], says: "a policy change is pending")
        let approved = try team.sigit("dave", "policy", "approve").check()
        #expect(approved.stdout.contains("in force"), "\(approved.stdout)")
        #expect(try Self.authorities(team).compactMap { $0["name"] as? String } == ["tsa"])
        #expect(try team.sigit(nil, "verify").status == 0)
    }

    // MARK: identity revoke --compromised-since

    @Test("revoke --compromised-since sets compromised-since on the key; listings show it; the key signs nothing new; allowed_signers keeps it with valid-before")
    func compromise() throws {
        let team = try Team()
        try team.sigit("alice", "policy", "timestamping", "add", "tsa", "--certificate", try Self.certificate(team, "tsa")).check()
        let since = Self.time(-86_400)
        let stamp = RFC3339.format(since)
        let before = try PolicyVerbTests.head(team)
        let revoked = try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", stamp, "--reason", "laptop stolen").check()
        #expect(revoked.stdout.contains("revoked bob's key SHA256:") && revoked.stdout.contains("as compromised since \(stamp)"), "\(revoked.stdout)")
        #expect(!revoked.stdout.contains("no time-stamping authority"), "\(revoked.stdout)")
        #expect(try PolicyVerbTests.head(team) != before)
        #expect(try team.git("log", "-1", "--format=%B").check().stdout.contains("laptop stolen"))

        let file = try Self.committedPolicy(team)
        #expect(file.contains("compromised-since: \(stamp)") && !file.contains("revoked: true"), "\(file)")
        let signers = try team.git("show", "HEAD:.sigit/allowed_signers").check().stdout
        let bobLine = signers.split(separator: "\n").first { $0.hasPrefix("bob@example.com ") }.map(String.init) ?? ""
        #expect(bobLine.contains("valid-before=\"\(RFC3339.compact(since))\""), "\(signers)")

        let list = try team.sigit(nil, "identity", "list").check().stdout
        #expect(list.contains("(compromised since \(stamp))"), "\(list)")
        let rows = try team.sigit(nil, "identity", "list", "--json").check().json()["identities"] as? [[String: Any]] ?? []
        let bob = rows.first { $0["name"] as? String == "bob" }?["key-details"] as? [[String: Any]] ?? []
        #expect(bob.first?["compromised-since"] as? String == stamp && bob.first?["revoked"] as? Bool == false, "\(bob)")
        let keys = try team.sigit(nil, "identity", "key", "list", "bob", "--json").check().json()["keys"] as? [[String: Any]] ?? []
        #expect(keys.first?["compromised-since"] as? String == stamp, "\(keys)")
        #expect(try team.sigit(nil, "identity", "key", "list", "bob").check().stdout.contains("compromised since \(stamp)"))
        #expect(try team.sigit(nil, "policy", "show").check().stdout.contains("compromised-since: \(stamp)"))

        // The key signs nothing new: sigit refuses to write with it.
        let head = try PolicyVerbTests.head(team)
        let comment = try team.sigit("bob", "comment", "nda-1", "-m", "signed with a stolen key")
        #expect(comment.status != 0 && comment.stderr.contains("is compromised since \(stamp)"), "\(comment.stderr)")
        #expect(try PolicyVerbTests.head(team) == head)
        #expect(try team.sigit(nil, "verify").status == 0)
    }

    @Test("without a time-stamping authority, revoke --compromised-since says no event of the key can keep counting")
    func compromiseWithoutAuthority() throws {
        let team = try Team(nda: false)
        let result = try team.sigit("alice", "identity", "revoke", "carol", "--compromised-since", RFC3339.format(Self.time(-60))).check()
        #expect(result.stdout.contains("note: the policy lists no time-stamping authority"), "\(result.stdout)")
    }

    @Test("every refusal of revoke --compromised-since is one line, exit 2, and writes nothing")
    func compromiseRefusals() throws {
        let team = try Team(nda: false)
        let past = RFC3339.format(Self.time(-3_600))
        let revoke = ["identity", "revoke"]
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["bob", "--compromised-since", "yesterday"], says: "--compromised-since must be an RFC 3339 time")
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["bob", "--compromised-since", RFC3339.format(Self.time(86_400))], says: "lies in the future")
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["nobody", "--compromised-since", past], says: "unknown identity nobody")
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["alice", "--compromised-since", past], says: "signs this change and cannot revoke itself")
        try PolicyVerbTests.expectRefused(team, "bob", revoke + ["carol", "--compromised-since", past], says: "bob is not an admin")

        try team.sigit("alice", revoke + ["bob", "--compromised-since", past]).check()
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["bob", "--compromised-since", past], says: "is already compromised since \(past)")
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["bob"], says: "is already compromised since \(past)")
        try PolicyVerbTests.expectRefused(team, "alice", ["identity", "retire", "bob"], says: "is compromised since \(past); nothing to retire")
        try PolicyVerbTests.expectRefused(team, "alice", ["identity", "retire", "bob", "--fingerprint", "all"], says: "already revoked or retired")

        try team.sigit("alice", revoke + ["carol"]).check()
        try PolicyVerbTests.expectRefused(team, "alice", revoke + ["carol", "--compromised-since", past], says: "is already revoked")
    }

    @Test("a compromised admin key is not a usable one: the threshold guard counts it out, and its holder does not approve her own compromise")
    func compromisedAdmin() throws {
        let team = try PolicyVerbTests.twoAdmins(nda: false)
        let past = RFC3339.format(Self.time(-60))
        try PolicyVerbTests.expectRefused(team, "alice", ["identity", "revoke", "dave", "--compromised-since", past], says: "fewer than the threshold of 2")
        try team.sandbox.key("erin")
        try team.sigit("alice", "identity", "add", "erin", "--email", "erin@example.com", "--public-key", team.sandbox.path("keys/erin.pub")).check()
        try team.sigit("dave", "policy", "approve").check()
        try team.sigit("alice", "grant", "admin", "erin").check()
        try team.sigit("dave", "policy", "approve").check()
        let proposed = try team.sigit("alice", "identity", "revoke", "dave", "--compromised-since", past).check()
        #expect(proposed.stdout.contains("pending: 1 of 2 admins signed"), "\(proposed.stdout)")
        try PolicyVerbTests.expectRefused(team, "dave", ["policy", "approve"], says: "revokes the key that would sign this approval")
    }

    @Test("stock git verifies a compromised key's commits made before compromised-since against the regenerated allowed_signers, and no later ones")
    func gitVerifiesBeforeCompromise() throws {
        let team = try Team(nda: false)
        let since = Self.time(-86_400)
        // bob signs two commits with stock git on a side branch: two days before the compromise, and an hour ago.
        try team.git("checkout", "-q", "-b", "side").check()
        let early = try PolicyVerbTests.commit(team, as: "bob", message: "before", date: since.addingTimeInterval(-2 * 86_400))
        let late = try PolicyVerbTests.commit(team, as: "bob", message: "after", date: Self.time(-3_600))
        try team.git("checkout", "-q", "main").check()
        let signers = team.sandbox.path("allowed_signers")
        func verifies(_ commit: String) throws -> Bool {
            try team.git("show", "HEAD:.sigit/allowed_signers").check().stdout.write(toFile: signers, atomically: true, encoding: .utf8)
            return try team.git("-c", "gpg.ssh.allowedSignersFile=\(signers)", "verify-commit", commit).status == 0
        }
        #expect(try verifies(early) && verifies(late), "both verify while the key is in good standing")

        try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", RFC3339.format(since)).check()
        #expect(try verifies(early), "a commit made before compromised-since still verifies")
        #expect(try !verifies(late), "a commit made after compromised-since does not")
        // A plain revocation, by contrast, drops the key from allowed_signers.
        try team.sigit("alice", "identity", "revoke", "carol").check()
        #expect(try !team.git("show", "HEAD:.sigit/allowed_signers").check().stdout.contains("carol@example.com"))
    }

    // MARK: the policy file

    @Test("a policy with timestamping and compromised-since parses back to itself, and the file sigit wrote is exactly what the emitter writes")
    func roundTrip() throws {
        let team = try Team(nda: false)
        try team.sigit("alice", "policy", "timestamping", "add", "tsa", "--certificate", try Self.certificate(team, "tsa"), "--url", "http://127.0.0.1:8318/tsr").check()
        try team.sigit("alice", "policy", "timestamping", "set", "--max-skew", "1d", "--approvals", "on").check()
        try team.sigit("alice", "identity", "revoke", "bob", "--compromised-since", RFC3339.format(Self.time(-600))).check()
        let text = try Self.committedPolicy(team)
        let policy = try Policy(yaml: Data(text.utf8))
        #expect(policy.timestamping?.authorities.map(\.name) == ["tsa"])
        #expect(policy.timestamping?.maxSkew == 86_400 && policy.timestamping?.approvals == true)
        #expect(policy.identities["bob"]?.keys.first?.compromisedSince != nil)
        let emitted = try policy.yaml()
        #expect(String(decoding: emitted, as: UTF8.self) == text)
        #expect(try Policy(yaml: emitted) == policy)
    }
}
