import ArgumentParser
import SigitCore

/// `sigit approve ID [--step STEP] [-m TEXT]`.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve the current step of an agreement with your key.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(name: .shortAndLong, help: "A comment, kept in the commit body.") var message: String?
    @Option(help: ArgumentHelp("Refuse unless the content still has this digest (the one you reviewed).", valueName: "sha256:HEX")) var digest: String?

    func run() throws {
        let written = try root.writer().respond(id: id, approve: true, step: step, text: message, expected: digest)
        let state = written.state.agreements[id].map { $0.phase.rawValue } ?? "?"
        print("approved \(id) as \(written.identity) in \(Output.short(written.commit.hex)); agreement is \(state)")
    }
}
