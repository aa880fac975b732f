import Foundation
import Testing

/// `sigit templates [NAME] [--json]` shows each template's description, roles, values and steps (issue 15 §3).
@Suite("template listing")
struct TemplateListingTests {
    @Test("templates lists every built-in with its roles, described values and steps; templates NAME shows one")
    func listing() throws {
        let team = try Team(nda: false)
        let all = try team.sigit(nil, "templates", "--json").check().json()["templates"] as? [[String: Any]] ?? []
        #expect(all.count >= 6)
        for template in all {
            #expect(!(template["summary"] as? String ?? "").isEmpty, "\(template)")
            #expect(!(template["steps"] as? [Any] ?? []).isEmpty, "\(template)")
            for placeholder in template["placeholders"] as? [[String: Any]] ?? [] {
                #expect(placeholder["description"] is String && placeholder["required"] is Bool, "\(placeholder)")
            }
        }
        let nda = try #require(try team.sigit(nil, "templates", "nda", "--json").check().json()["templates"] as? [[String: Any]])
        try #require(nda.count == 1)
        let steps = nda[0]["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["name"] as? String } == ["legal-review", "signatures"])
        #expect(steps.last?["approvers"] as? [String] == ["{{our_signer}}", "{{their_signer}}"])
        #expect(steps.last?["require"] as? String == "all" && steps.last?["humans-only"] as? Bool == true)
        #expect((nda[0]["roles"] as? [[String: Any]])?.map { $0["name"] as? String } == ["legal"])

        let text = try team.sigit(nil, "templates", "change-authorization").check().stdout
        #expect(text.hasPrefix("change-authorization  (built-in)\n"), "\(text)")
        #expect(text.contains("    change-board: The change advisory board"), "\(text)")
        #expect(text.contains("    ticket (required): Ticket or change number"), "\(text)")
        #expect(text.contains("    window (optional, default \"next standard change window\"): "), "\(text)")
        #expect(text.contains("    2. cab-approval: role:change-board, role:security (require all, humans only, delegation allowed, assurance {hardware: true, user-verification: true})"), "\(text)")
        #expect(text.contains("    1. technical-review: role:it (require 1, humans only)\n"), "a step without assurance shows none: \(text)")
        let json = try team.sigit(nil, "templates", "change-authorization", "--json").check().json()
        let listed = (json["templates"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]] ?? []
        #expect(listed.last?["assurance"] as? [String: Bool] == ["hardware": true, "user-presence": false, "user-verification": true], "\(json)")
        #expect(!text.contains("nda  (built-in)"))
        try PolicyVerbTests.expectRefused(team, "alice", ["templates", "nosuch"], says: "no template \"nosuch\"; sigit templates lists them")
    }

    @Test("a repository template's template.yml: the default fills a value left out and is not copied; a broken one is named, nothing written")
    func repositoryMetadata() throws {
        let team = try Team(nda: false)
        let folder = team.sandbox.path("repo/.sigit/templates/memo")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "title: \"Memo on {{topic}}\"\ndocuments: [memo.md]\nworkflow:\n  - step: read\n    approvers: [role:legal]\n    require: 1\n"
            .write(toFile: folder + "/agreement.yml", atomically: true, encoding: .utf8)
        try "About {{topic}}.\n".write(toFile: folder + "/memo.md", atomically: true, encoding: .utf8)
        try "description: \"Memo \\e[31mred\"\nplaceholders:\n  topic: {description: The subject., default: lunch}\n".write(toFile: folder + "/template.yml", atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/templates").check()
        try team.gitCommit(signedBy: "alice", message: "add memo template", allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        let text = try team.sigit(nil, "templates", "memo").check().stdout
        #expect(text.contains("topic (optional, default \"lunch\"): The subject."), "\(text)")
        #expect(!text.contains("\u{1b}"), "terminal escapes are not echoed: \(text)")
        try team.sigit("bot", "new", "memo", "memo-1").check()
        #expect(FileManager.default.fileExists(atPath: team.sandbox.path("repo/agreements/memo-1/memo.md")))
        #expect(!FileManager.default.fileExists(atPath: team.sandbox.path("repo/agreements/memo-1/template.yml")))
        #expect(try team.git("show", "HEAD:agreements/memo-1/memo.md").check().stdout == "About lunch.\n")

        try "placeholders:\n  topic: {descripton: typo}\n".write(toFile: folder + "/template.yml", atomically: true, encoding: .utf8)
        try team.git("add", ".sigit/templates").check()
        try team.gitCommit(signedBy: "alice", message: "break memo template", allowEmpty: false, name: "Alice Example", email: "alice@example.com").check()
        try PolicyVerbTests.expectRefused(team, "alice", ["templates", "memo"], says: "template memo: template.yml:2: unknown key")
        try PolicyVerbTests.expectRefused(team, "bot", ["new", "memo", "memo-2", "--set", "topic=x"], says: "template memo: template.yml:2: unknown key")
        #expect(try team.verify().violations.isEmpty)
    }
}
