import ArgumentParser
import Foundation
import SigitCore

/// `sigit sync [REMOTE] [--verbose]`.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch, verify what came in, merge with a signed merge commit when both sides moved (never rebase), and push.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "The remote (default: the branch's upstream, else origin).") var remote: String?
    @Flag(name: .shortAndLong, help: "Also show the remote's transfer progress (Counting objects ...).") var verbose = false

    func run() throws {
        let outcome = try root.workspace().sync(remote: remote)
        for line in outcome.messages { print("remote: \(Output.safe(line))") }
        if verbose { for line in outcome.progress { print("remote: \(Output.safe(line))") } }
        for w in outcome.warnings { print("warning   \(Output.short(w.commit.hex)) [\(w.rule.rawValue)] \(Output.safe(w.message))") }
        for note in outcome.notes { print("note: \(Output.safe(note))") }
        let tip = outcome.tip.map { Output.short($0.hex) } ?? "?"
        let list = outcome.pushedRefs.isEmpty ? "" : ":"
        switch outcome.action {
        case "merged": print("merged with signed merge commit \(tip)\(outcome.pushed ? " and pushed" : "")\(list)")
        case "fast-forward": print("fast-forwarded to \(tip)\(outcome.pushed ? " and pushed" : "")\(list)")
        case "pushed": print("pushed \(tip)\(list)")
        default: print("up to date at \(tip)\(list.isEmpty ? "" : "; pushed:")")
        }
        for ref in outcome.pushedRefs { print("  " + Self.describe(ref)) }
    }

    /// One pushed reference: `main 1a2b3c4d5e6f..7a8b9c0d1e2f`, `seal sigit/nda-1/completed (tag 3c4d5e6f7a8b)`.
    static func describe(_ ref: PushedRef) -> String {
        if ref.name.hasPrefix("refs/tags/") { return "seal \(Output.safe(String(ref.name.dropFirst("refs/tags/".count)))) (tag \(Output.short(ref.new.hex)))" }
        let name = Output.safe(ref.name.hasPrefix("refs/heads/") ? String(ref.name.dropFirst("refs/heads/".count)) : ref.name)
        return "\(name) \(ref.old.map { Output.short($0.hex) + ".." } ?? "(new) ")\(Output.short(ref.new.hex))"
    }
}
