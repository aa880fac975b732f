import ArgumentParser
import SigitCore

/// `sigit delegate ID --to NAME [--step STEP]`.
struct DelegateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delegate", abstract: "Hand your part of a step to another identity for this round (where the step allows delegation).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The identity that acts for you.", completion: .identities) var to: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(name: .shortAndLong, help: "Why, kept in the commit body.") var message: String?

    func run() throws {
        let written = try root.writer().delegate(id: id, to: to, step: step, text: message)
        print("delegated your part of \(id) to \(to) as \(written.identity) in \(Output.short(written.commit.hex)); \(to) approves with sigit approve \(id)")
    }
}
