import ArgumentParser
import SigitCore

/// `sigit draft ID`: commit a revision from the working tree.
struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "draft", abstract: "Commit your edits of agreements/<id>/ as a signed revision (approvals become stale).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(name: .shortAndLong, help: "What changed.") var message: String?

    func run() throws {
        let written = try root.writer().revise(id: id, message: message)
        print("revised \(id) in \(Output.short(written.commit.hex)); it is a draft again: sigit send \(id)")
    }
}
