import Foundation
import Testing

/// Key state in the policy (spec §3): a revoked key or a key outside its window signs nothing valid.
@Suite("key revocation and validity window")
struct KeyRuleTests {
    /// Alice edits bob's key entry by hand (serial + 1) and commits it signed, as an admin may with stock git.
    static func editBobKey(_ team: Team, adding line: String) throws {
        let path = team.sandbox.path("repo/.sigit/policy.yml")
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        guard let bob = lines.firstIndex(of: "  bob:"),
              let key = lines[bob...].firstIndex(where: { $0.hasPrefix("    - key: ") }),
              let serial = lines.firstIndex(where: { $0.hasPrefix("serial: ") }),
              let value = Int(lines[serial].dropFirst("serial: ".count)) else {
            throw SandboxError(message: "unexpected policy layout")
        }
        lines.insert("      " + line, at: key + 1)
        lines[serial] = "serial: \(value + 1)"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/policy.yml").check()
        try team.gitCommit(signedBy: "alice", message: "policy: bob's key", allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
    }

    /// Alice approves legal-review, then bob approves the signatures step with stock git.
    static func approveAsBob(_ team: Team) throws {
        try team.sigit("alice", "approve", "nda-1").check()
        let message = "approve nda-1 (step signatures)\n\n" + team.trailers("approve", identity: "bob", digest: try team.digest("nda-1"), step: "signatures")
        try team.gitCommit(signedBy: "bob", message: message, name: "bob", email: "bob@example.com").check()
    }

    @Test("an approval by a revoked key is a violation (key-revoked)")
    func revoked() throws {
        let team = try Team()
        try Self.editBobKey(team, adding: "revoked: true")
        try Self.approveAsBob(team)
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["key-revoked"])
    }

    @Test("an approval outside the key's validity window is a violation (key-window)")
    func window() throws {
        let team = try Team()
        try Self.editBobKey(team, adding: "valid-before: 2020-01-01T00:00:00Z")
        try Self.approveAsBob(team)
        let verify = try team.verify()
        #expect(verify.status == 1 && verify.violations == ["key-window"])
    }

    @Test("control: a validity window that contains the approval is fine")
    func windowControl() throws {
        let team = try Team()
        try Self.editBobKey(team, adding: "valid-before: 2099-01-01T00:00:00Z")
        try Self.approveAsBob(team)
        let verify = try team.verify()
        #expect(verify.violations.isEmpty && verify.status == 0)
        #expect(verify.warnings.contains("allowed-signers"))
    }
}
