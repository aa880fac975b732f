import ArgumentParser
import Foundation
import SigitCore

/// `sigit approve ID [--step STEP] [-m TEXT]`.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the current step of an agreement with your key.",
        discussion: """
        When the policy says timestamping: approvals: true, approve then asks the policy's TSAs (the url of each \
        authority, in order) for an RFC 3161 token over the approval and records it in a timestamp event of its own. \
        A TSA failure never undoes the approval: approve prints one warning naming the command to run later \
        (sigit timestamp ID) and still exits 0.
        """)
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(name: .shortAndLong, help: "A comment, kept in the commit body.") var message: String?
    @Option(help: ArgumentHelp("Refuse unless the content still has this digest (the one you reviewed).", valueName: "sha256:HEX")) var digest: String?

    func run() throws {
        let workspace = try root.writer()
        let written = try workspace.respond(id: id, approve: true, step: step, text: message, expected: digest)
        let state = written.state.agreements[id].map { $0.phase.rawValue } ?? "?"
        print("approved \(id) as \(written.identity) in \(Output.short(written.commit.hex)); agreement is \(state)")
        guard let followUp = workspace.timestampApproval(written.commit, agreement: id, state: written.state) else { return }
        if let stamped = followUp.outcome?.stamped.first, let commit = followUp.outcome?.commit {
            print("time-stamped the approval at \(stamped.genTime.map(RFC3339.format) ?? "?") by \(Output.safe(stamped.tsa ?? "?")) in \(Output.short(commit.hex))")
        }
        if let note = followUp.note { FileHandle.standardError.write(Data("sigit: \(note)\n".utf8)) }
    }
}
