import ArgumentParser
import Foundation
import SigitCore

/// `sigit templates [NAME]`.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "templates", abstract: "List the agreement templates: roles, values and steps of each.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Show only this template.") var name: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let workspace = try root.workspace()
        let tip = try workspace.head()
        let tree = try tip.map { try workspace.repo.commit($0).tree }
        let store = TemplateStore(repo: workspace.repo, tree: tree, environment: ProcessInfo.processInfo.environment)
        let templates = try name.map { [try store.template($0)] } ?? store.all()
        let described = try templates.map(TemplateDescription.init)
        if json { return try Output.json(["templates": described]) }
        for (index, template) in described.enumerated() {
            if index > 0 { print("") }
            print(Self.render(template).map(Output.safe).joined(separator: "\n"))
        }
    }

    /// The lines that describe one template (untrusted text; the caller escapes each line).
    static func render(_ t: TemplateDescription) -> [String] {
        var lines = ["\(t.name)  (\(t.origin))", "    \(t.summary)"]
        if !t.roles.isEmpty {
            lines.append("  roles:")
            lines += t.roles.map { "    \($0.name)" + ($0.description.map { ": \($0)" } ?? "") }
        }
        if !t.placeholders.isEmpty {
            lines.append("  values (--set NAME=VALUE):")
            lines += t.placeholders.map { p in
                let need = p.defaultValue.map { "optional, default \"\($0)\"" } ?? "required"
                return "    \(p.name) (\(need))" + (p.description.map { ": \($0)" } ?? "")
            }
        }
        if !t.steps.isEmpty {
            lines.append("  steps (in order; the approvers of a step sign in parallel):")
            for (number, step) in t.steps.enumerated() {
                var flags = ["require \(step.require)"]
                if step.humansOnly { flags.append("humans only") }
                if step.delegation { flags.append("delegation allowed") }
                if step.allowAuthor { flags.append("the author may sign") }
                if !step.assurance.isEmpty { flags.append("assurance \(step.assurance.text)") }
                lines.append("    \(number + 1). \(step.name): \(step.approvers.joined(separator: ", ")) (\(flags.joined(separator: ", ")))")
            }
        }
        if !t.cc.isEmpty { lines.append("  cc: \(t.cc.joined(separator: ", "))") }
        return lines
    }
}
