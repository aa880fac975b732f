import ArgumentParser
import SigitCore

/// `sigit send ID`.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a draft to its recipients (needs draft).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String

    func run() throws {
        let written = try root.writer().send(id: id)
        let digest = written.state.agreements[id]?.digest ?? ""
        print("sent \(id) at \(digest) in \(Output.short(written.commit.hex))")
    }
}
