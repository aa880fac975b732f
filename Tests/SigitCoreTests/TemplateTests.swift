import Foundation
import Testing
@testable import SigitCore

/// Templates: the embedded copy matches templates/, every template renders into a valid agreement, values are escaped.
@Suite("templates")
struct TemplateTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates")

    @Test("the built-in copy matches templates/ (run make templates after editing)")
    func embeddedInSync() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == BuiltinTemplates.all.keys.sorted())
        #expect(names.count >= 6)
        for name in names {
            let dir = Self.folder.appendingPathComponent(name).path
            let files = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { !$0.hasSuffix("/") && !FileManager.default.isDirectory(dir + "/" + $0) }
            #expect(Set(files) == Set(BuiltinTemplates.all[name]?.keys.map { $0 } ?? []), "\(name)")
            for file in files {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                #expect(BuiltinTemplates.all[name]?[file] == text, "\(name)/\(file) differs from the embedded copy")
            }
        }
    }

    @Test("every template renders into an agreement.yml that passes the schema", arguments: BuiltinTemplates.all.keys.sorted())
    func renders(name: String) throws {
        let template = try TemplateStore(repo: nil, tree: nil, environment: [:]).template(name)
        var values: [String: String] = ["id": "x-1", "date": "2026-11-25", "drafter": "bot"]
        for key in template.placeholders where values[key] == nil { values[key] = "v-" + key.replacingOccurrences(of: "_", with: "-") }
        let files = try TemplateRenderer.render(template, values: values)
        let spec = try AgreementSpec(yaml: try #require(files["agreement.yml"]), file: "agreement.yml")
        #expect(!spec.workflow.isEmpty)
        #expect(!spec.title.isEmpty)
        for document in spec.documents { #expect(files[document] != nil, "\(name) lists \(document) but has no such file") }
        for data in files.values { #expect(!String(decoding: data, as: UTF8.self).contains("{{")) }
    }

    @Test("values are escaped for YAML and Markdown, control characters refused, missing values named")
    func escaping() throws {
        let template = AgreementTemplate(name: "t", origin: "test", files: [
            "agreement.yml": Data("title: \"NDA with {{who}}\"\nworkflow:\n  - step: s\n    approvers: [bob]\n".utf8),
            "doc.md": Data("Party: {{who}}\n".utf8),
        ])
        let files = try TemplateRenderer.render(template, values: ["who": "Evil \" Corp\\ <b>*x*</b>"])
        let spec = try AgreementSpec(yaml: try #require(files["agreement.yml"]), file: "agreement.yml")
        #expect(spec.title == "NDA with Evil \" Corp\\ <b>*x*</b>")
        let doc = String(decoding: try #require(files["doc.md"]), as: UTF8.self)
        #expect(!doc.contains("<b>") && doc.contains("&lt;b&gt;") && doc.contains("\\*x\\*"))
        #expect(throws: SigitError.self) { try TemplateRenderer.render(template, values: ["who": "a\nworkflow: []"]) }
        #expect(throws: SigitError.self) { try TemplateRenderer.render(template, values: [:]) }
        #expect(throws: SigitError.self) { try TemplateRenderer.render(template, values: ["who": "x", "extra": "y"]) }
    }
}

extension FileManager {
    /// True when `path` is a folder.
    func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}

/// Every built-in template describes itself: `sigit templates` shows a description for the template, each role it
/// routes to and each value `sigit new` needs.
@Suite("template descriptions")
struct TemplateDescriptionTests {
    @Test("every built-in template has a template.yml describing itself, its roles and its placeholders", arguments: BuiltinTemplates.all.keys.sorted())
    func described(name: String) throws {
        let template = try TemplateStore(repo: nil, tree: nil, environment: [:]).template(name)
        let metadata = try template.metadata()
        #expect(metadata.description?.isEmpty == false)
        let described = try TemplateDescription(template)
        #expect(!described.steps.isEmpty && !described.roles.isEmpty)
        for role in described.roles { #expect(role.description?.isEmpty == false, "\(name): role \(role.name)") }
        for placeholder in described.placeholders { #expect(placeholder.description?.isEmpty == false, "\(name): \(placeholder.name)") }
        // The metadata names nothing the template does not use.
        #expect(Set(metadata.placeholders.keys).isSubset(of: Set(template.placeholders)), "\(name)")
        #expect(Set(metadata.roles.keys) == Set(described.roles.map(\.name)), "\(name)")
    }

    @Test("a default makes a placeholder optional; template.yml is not part of the agreement; a bad template.yml is named")
    func defaults() throws {
        let yaml = "title: \"{{who}} in {{place}}\"\ndocuments: [a.md]\nworkflow:\n  - step: s\n    approvers: [\"{{signer}}\", role:legal]\n"
        let template = AgreementTemplate(name: "t", origin: "test", files: [
            "agreement.yml": Data(yaml.utf8), "a.md": Data("{{who}}\n".utf8),
            "template.yml": Data("description: Test.\nroles: {legal: Reads it.}\nplaceholders:\n  who: Who.\n  place: {description: Where., default: Berlin}\n".utf8),
        ])
        #expect(TemplateRenderer.check(template, values: ["who": "x"]).missing == ["signer"])
        let files = try TemplateRenderer.render(template, values: ["who": "Ann", "signer": "bob"])
        #expect(Set(files.keys) == ["agreement.yml", "a.md"])
        #expect(try AgreementSpec(yaml: try #require(files["agreement.yml"]), file: "agreement.yml").title == "Ann in Berlin")
        let described = try TemplateDescription(template)
        #expect(described.steps.map(\.approvers) == [["{{signer}}", "role:legal"]])
        #expect(described.placeholders.map(\.name) == ["place", "signer", "who"])
        #expect(described.placeholders.map(\.required) == [false, true, true])
        #expect(described.placeholders.first?.defaultValue == "Berlin")
        let bad = AgreementTemplate(name: "b", origin: "test", files: ["agreement.yml": Data(yaml.utf8), "template.yml": Data("descripton: typo\n".utf8)])
        #expect { try TemplateDescription(bad) } throws: { "\($0)".contains("template.yml:1") && "\($0)".contains("unknown key") }
        #expect(throws: SigitError.self) { try TemplateRenderer.render(bad, values: ["who": "a", "place": "b", "signer": "c"]) }
    }
}
