import ArgumentParser
import SigitCore

/// `sigit comment ID -m TEXT [--file PATH [--line N] | --reply THREAD | --resolve THREAD]`.
struct CommentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comment",
        abstract: "Comment on an agreement, a file or a line of it, answer a thread, or resolve one: a signed event that decides nothing.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(name: .shortAndLong, help: "The comment (required, except with --resolve), kept in the commit body.") var message: String?
    @Option(help: ArgumentHelp("Start a thread on this file of the agreement (relative to agreements/<id>/).", valueName: "PATH")) var file: String?
    @Option(help: ArgumentHelp("Start the thread on this line of --file.", valueName: "N")) var line: Int?
    @Option(help: ArgumentHelp("Answer this thread (its id from sigit review, or a unique prefix).", valueName: "THREAD")) var reply: String?
    @Option(help: ArgumentHelp("Resolve this thread (its author, the agreement's sender or an admin).", valueName: "THREAD")) var resolve: String?

    func run() throws {
        let request = Workspace.CommentRequest(text: message ?? "", file: file, line: line, replyTo: reply, resolve: resolve)
        let workspace = try root.writer()
        let written = try workspace.comment(id: id, request)
        let verb = resolve != nil ? "resolved a thread of" : reply != nil ? "replied on" : "commented on"
        let thread = reply == nil && resolve == nil ? (try? workspace.eventID(of: written.commit)).map { "; thread id \($0)" } ?? "" : ""
        print("\(verb) \(id) as \(written.identity) in \(Output.short(written.commit.hex))\(thread)")
    }
}
