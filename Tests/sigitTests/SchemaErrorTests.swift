import Foundation
import Testing

/// Broken files (spec §3, §4): reported with file, line and reason; one broken agreement never hides the others.
@Suite("schema errors with file and line")
struct SchemaErrorTests {
    /// Line number (1-based) of the first line of `text` containing `needle`.
    static func line(of needle: String, in text: String) -> Int? {
        text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    @Test("agreement-invalid names file and line; the other agreement still runs to completion")
    func brokenAgreementDoesNotHideOthers() throws {
        let team = try Team()
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Beta", "--set", "our_signer=bob", "--set", "their_signer=carol").check()
        try team.sigit("bot", "send", "nda-2").check()
        try team.edit("agreements/nda-2/agreement.yml") { $0.replacingOccurrences(of: "expires: 30d", with: "expires: 30d\nsurprise: true") }
        try team.git("add", "agreements").check()
        try team.routingCommit("bot", message: "draft nda-2 (revision)", allowEmpty: false).check()
        let text = try String(contentsOfFile: team.sandbox.path("repo/agreements/nda-2/agreement.yml"), encoding: .utf8)
        let line = try #require(Self.line(of: "surprise", in: text))
        try team.expectViolation("agreement-invalid")
        #expect(try team.verify().messages.contains { $0.contains("agreements/nda-2/agreement.yml:\(line)") && $0.contains("unknown key") })
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        #expect(try team.status("nda-1")["state"] as? String == "completed")
        #expect(try team.status("nda-2")["state"] as? String == "invalid")
        let list = try team.sigit(nil, "status").check().stdout
        #expect(list.contains("nda-1\tcompleted") && list.contains("nda-2\tinvalid"))
    }

    @Test("policy-invalid names the line of a role member that is not an identity")
    func policyLine() throws {
        let team = try Team()
        try team.editPolicy { Team.addingRole($0, "ghosts", ["casper"]) }
        let text = try String(contentsOfFile: team.sandbox.path("repo/.sigit/policy.yml"), encoding: .utf8)
        let line = try #require(Self.line(of: "- casper", in: text))
        try team.expectViolation("policy-invalid")
        #expect(try team.verify().messages.contains { $0.contains(".sigit/policy.yml:\(line)") && $0.contains("casper") })
    }

    @Test("policy-invalid: a hand-written policy that makes a service account an admin")
    func machineAdmin() throws {
        let team = try Team()
        try team.editPolicy { $0.replacingOccurrences(of: "  admin:\n  - alice\n", with: "  admin:\n  - alice\n  - bot\n") }
        try team.expectViolation("policy-invalid")
        #expect(try team.verify().messages.contains { $0.contains("bot is a service identity and cannot be an admin") })
    }

    @Test("policy-invalid: identity names with .. or uppercase", arguments: ["a..b", "Eve", "x/y"])
    func badIdentityName(name: String) throws {
        let team = try Team()
        try team.editPolicy { $0.replacingOccurrences(of: "\n  carol:\n", with: "\n  \"\(name)\":\n") }
        try team.expectViolation("policy-invalid")
    }

    @Test("agreement-invalid: an agreement folder whose name is not a valid id", arguments: ["Bad", "a..b"])
    func badAgreementId(id: String) throws {
        let team = try Team()
        let folder = team.sandbox.path("repo/agreements/\(id)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: team.sandbox.path("repo/agreements/nda-1/agreement.yml"), toPath: folder + "/agreement.yml")
        try team.git("add", "agreements").check()
        try team.routingCommit("bot", message: "draft", allowEmpty: false).check()
        try team.expectViolation("agreement-invalid")
    }

    @Test("policy-invalid: a service or agent identity without a human owner", arguments: ["service", "agent"])
    func ownerless(kind: String) throws {
        let team = try Team()
        try team.editPolicy { text in
            text.replacingOccurrences(of: "    kind: service\n", with: "    kind: \(kind)\n")
                .components(separatedBy: "\n").filter { $0 != "    owner: alice" }.joined(separator: "\n")
        }
        try team.expectViolation("policy-invalid")
        #expect(try team.verify().messages.contains { $0.contains("\(kind) identity bot needs a human owner") })
    }

    @Test("policy-invalid: an email that allowed_signers would read as a pattern", arguments: ["'*@*'", "'a?b@example.com'", "'x@example.com,y@example.com'"])
    func patternEmail(email: String) throws {
        let team = try Team()
        try team.editPolicy { $0.replacingOccurrences(of: "    email: carol@example.com", with: "    email: \(email)") }
        try team.expectViolation("policy-invalid")
        #expect(try team.sigit("alice", "identity", "add", "eve", "--email", "*@*", "--public-key", team.sandbox.path("keys/mallory.pub")).status == 2)
    }

    @Test("control: the team's policy and agreement are valid")
    func control() throws {
        let team = try Team()
        try team.expectClean(not: "policy-invalid")
    }
}
