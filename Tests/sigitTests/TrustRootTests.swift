import Foundation
import Testing

/// The pinned trust root (spec §3) and the draft permission on send (spec §4).
@Suite("trust root pinning and send permission")
struct TrustRootTests {
    @Test("a clone pins the trust root on first use and refuses a replaced history")
    func historyReplaced() throws {
        let team = try Team(nda: false)
        let other = try Team(nda: false)
        try team.sandbox.run("/usr/bin/env", ["git", "clone", "-q", team.sandbox.path("repo"), "clone"], in: team.sandbox.root.path).check()
        try team.sandbox.sigit("clone", as: nil, ["status"]).check()
        let root = try team.sandbox.git("clone", "config", "sigit.root").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = try team.git("rev-list", "--max-parents=0", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(root == first)
        // Control: the same history still passes.
        #expect(try team.sandbox.sigit("clone", as: nil, ["verify"]).status == 0)
        // Replace the clone's history with another repository's.
        try team.sandbox.git("clone", "fetch", "-q", other.sandbox.path("repo"), "main").check()
        try team.sandbox.git("clone", "reset", "-q", "--hard", "FETCH_HEAD").check()
        let result = try team.sandbox.sigit("clone", as: nil, ["verify"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("history replaced"))
    }

    @Test("send needs the draft permission (and a sender with it is fine)", arguments: [("carol", true), ("bot", false)])
    func sendPermission(who: String, violates: Bool) throws {
        let team = try Team(send: false)
        let digest = try team.digest("nda-1")
        let message = "send nda-1\n\n" + team.trailers("send", identity: who, digest: digest)
        try team.gitCommit(signedBy: who, message: message, name: who, email: "\(who)@example.com").check()
        let verify = try team.verify()
        #expect(verify.violations.contains("permission") == violates)
        #expect(verify.status == (violates ? 1 : 0))
        #expect(try team.sigit(nil, "status", "nda-1", "--json").json()["state"] as? String == (violates ? "draft" : "in-progress"))
    }
}
