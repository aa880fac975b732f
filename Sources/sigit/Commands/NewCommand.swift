import ArgumentParser
import SigitCore

/// `sigit new TEMPLATE ID --set KEY=VALUE...`.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Draft a new agreement from a template (needs draft).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Template name (sigit templates).", completion: .templates) var template: String
    @Argument(help: "Agreement id (new).") var id: String
    @Option(name: .customLong("set"), help: ArgumentHelp("A template value.", valueName: "KEY=VALUE")) var values: [String] = []

    func run() throws {
        var map: [String: String] = [:]
        for item in values {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else { throw ValidationError("--set needs KEY=VALUE, got \(item)") }
            let key = String(item[..<eq])
            guard map[key] == nil else { throw ValidationError("--set \(key) given twice") }
            map[key] = String(item[item.index(after: eq)...])
        }
        let written = try root.writer().newAgreement(template: template, id: id, values: map)
        print("drafted agreements/\(id) from \(template) in \(Output.short(written.commit.hex)); review it, then sigit send \(id)")
    }
}
