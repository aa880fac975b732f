import Foundation
import Testing

/// Where `sigit new` finds templates: the repository's `.sigit/templates/` wins, then SIGIT_TEMPLATE_PATH, then built-in.
@Suite("template lookup")
struct TemplateLookupTests {
    @Test("a committed .sigit/templates/<name>/ overrides the built-in template")
    func repositoryOverride() throws {
        let team = try Team(nda: false)
        let folder = team.sandbox.path("repo/.sigit/templates/nda")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "title: \"House NDA {{counterparty}}\"\ndocuments: [house.md]\nworkflow:\n  - step: review\n    approvers: [role:legal]\n    require: 1\n"
            .write(toFile: folder + "/agreement.yml", atomically: true, encoding: .utf8)
        try "House terms for {{counterparty}}.\n".write(toFile: folder + "/house.md", atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/templates").check()
        try team.gitCommit(signedBy: "alice", message: "add house NDA template", allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let listed = try team.sigit(nil, "templates", "--json").json()["templates"] as? [[String: Any]] ?? []
        #expect(listed.first { $0["name"] as? String == "nda" }?["origin"] as? String == "repository")
        try team.sigit("bot", "new", "nda", "house-1", "--set", "counterparty=Acme").check()
        let status = try team.sigit(nil, "status", "house-1", "--json").json()
        #expect(status["title"] as? String == "House NDA Acme")
        #expect(FileManager.default.fileExists(atPath: team.sandbox.path("repo/agreements/house-1/house.md")))
        #expect(try team.verify().violations.isEmpty)
    }

    @Test("the built-in templates are found with no template folder at all, and a missing value is named")
    func builtIn() throws {
        let team = try Team(nda: false)
        let missing = try team.sigit("bot", "new", "nda", "x-1", "--set", "counterparty=Acme")
        #expect(missing.status == 2 && missing.stderr.contains("--set our_signer="))
        #expect(try team.git("status", "--porcelain").stdout.isEmpty)
        let names = (try team.sigit(nil, "templates", "--json").json()["templates"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(["nda", "vendor-onboarding", "change-authorization", "offboarding-acknowledgment", "security-attestation", "nhi-service-agreement"]).isSubset(of: Set(names)))
    }
}
