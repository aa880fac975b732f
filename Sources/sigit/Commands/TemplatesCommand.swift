import ArgumentParser
import Foundation
import SigitCore

/// `sigit templates`.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "templates", abstract: "List the agreement templates and the values they need.")
    @ParentCommand var root: SigitCommand
    @Flag(help: "Print JSON.") var json = false

    struct Row: Codable { let name: String; let origin: String; let summary: String; let placeholders: [String] }

    func run() throws {
        let workspace = try root.workspace()
        let tip = try workspace.head()
        let tree = try tip.map { try workspace.repo.commit($0).tree }
        let rows = try TemplateStore(repo: workspace.repo, tree: tree, environment: ProcessInfo.processInfo.environment).all().map {
            Row(name: $0.name, origin: $0.origin, summary: $0.summary, placeholders: $0.placeholders.filter { !TemplateRenderer.builtIns.contains($0) })
        }
        if json { return try Output.json(["templates": rows]) }
        for row in rows {
            print("\(row.name)  (\(Output.safe(row.origin)))\n    \(Output.safe(row.summary))\n    --set " + row.placeholders.map { "\($0)=..." }.joined(separator: " --set "))
        }
    }
}
