import ArgumentParser
import SigitCore

/// `sigit void ID --reason TEXT`.
struct VoidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "void", abstract: "Void an agreement (needs void, or being its sender); no further change counts.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "Why (required), kept in the commit body.") var reason: String

    func run() throws {
        let written = try root.writer().void(id: id, reason: reason)
        print("voided \(id) as \(written.identity) in \(Output.short(written.commit.hex))")
    }
}
