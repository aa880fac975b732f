import ArgumentParser
import Foundation
import SigitCore

/// `sigit sync [REMOTE]`.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch, verify what came in, merge with a signed merge commit when both sides moved (never rebase), and push.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "The remote (default: the branch's upstream, else origin).") var remote: String?

    func run() throws {
        let outcome = try root.workspace().sync(remote: remote)
        for line in outcome.messages { print("remote: \(Output.safe(line))") }
        for w in outcome.warnings { print("warning   \(Output.short(w.commit.hex)) [\(w.rule.rawValue)] \(Output.safe(w.message))") }
        for note in outcome.notes { print("note: \(Output.safe(note))") }
        let tip = outcome.tip.map { Output.short($0.hex) } ?? "?"
        switch outcome.action {
        case "merged": print("merged with signed merge commit \(tip)\(outcome.pushed ? " and pushed" : "")")
        case "fast-forward": print("fast-forwarded to \(tip)\(outcome.pushed ? " and pushed" : "")")
        case "pushed": print("pushed \(tip)")
        default: print("up to date at \(tip)")
        }
    }
}
