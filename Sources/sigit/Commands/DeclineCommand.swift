import ArgumentParser
import SigitCore

/// `sigit decline ID --reason TEXT`.
struct DeclineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline the current step; ends the round.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(help: "Why (required), kept in the commit body.") var reason: String
    @Option(help: ArgumentHelp("Refuse unless the content still has this digest (the one you reviewed).", valueName: "sha256:HEX")) var digest: String?

    func run() throws {
        let written = try root.writer().respond(id: id, approve: false, step: step, text: reason, expected: digest)
        print("declined \(id) as \(written.identity) in \(Output.short(written.commit.hex))")
    }
}
