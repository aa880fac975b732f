import ArgumentParser
import Foundation
import SigitCore

/// `sigit review ID [--since REV] [--json]`.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Show what changed since the version you last approved (or the one sent to you), who approved which version, and what is open.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: ArgumentHelp("Compare with the agreement as of this commit instead.", valueName: "REV")) var since: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let review = try root.workspace().review(id: id, since: since)
        if json { return try Output.json(review) }
        print("\(review.id): \(Output.safe(review.title))")
        print("  state \(review.state)\(review.status.currentStep.map { ", step \(Output.safe($0))" } ?? ""), digest \(review.digest)")
        if let at = review.status.tamperedAt {
            print("  TAMPERED at \(Output.short(at)): the files below are not the content this state counts (a violation changed them; sigit verify names it); do not approve what they say")
        }
        if let base = review.baseline {
            let why = switch base.reason {
            case "your-approval": "your approval"
            case "your-decline": "your decline"
            case "sent": "the version sent"
            default: "--since"
            }
            print("\nchanges since \(why) in \(Output.short(base.commit)) (\(base.digest)):")
        } else {
            print("\nnever sent: every file is new")
        }
        if review.changes.isEmpty, review.documents == nil { print("  none: this is the version you saw") }
        if review.changes.isEmpty, review.documents != nil, review.baseline != nil { print("  none since it was sent") }
        var shown = Set<String>()
        for change in review.changes {
            if change.binary {
                print("  \(change.status) \(Output.safe(change.path)) (binary) sha256 \(change.oldSha256 ?? "-") -> \(change.newSha256 ?? "-")")
            } else {
                print("  \(change.status) \(Output.safe(change.path))")
                print(TerminalText.block(change.patch.hasSuffix("\n") ? String(change.patch.dropLast()) : change.patch, indent: "    "))
            }
            for thread in review.threads where thread.file == change.path {
                shown.insert(thread.id)
                print(ThreadText.lines(thread, indent: "    ").joined(separator: "\n"))
            }
        }
        if let documents = review.documents {
            print("\ndocuments (your first review):")
            for doc in documents {
                print("  \(Output.safe(doc.path))  \(doc.size) bytes  sha256 \(doc.sha256)\(doc.binary ? "  (binary, not shown)" : "")")
                if let text = doc.text, !text.isEmpty {
                    print(TerminalText.block(text.hasSuffix("\n") ? String(text.dropLast()) : text, indent: "    | "))
                    if doc.truncated { print("    … (first \(Review.maxShownBytes) bytes shown)") }
                }
                for thread in review.threads where thread.file == doc.path && !shown.contains(thread.id) {
                    shown.insert(thread.id)
                    print(ThreadText.lines(thread, indent: "    ").joined(separator: "\n"))
                }
            }
        }
        let rest = review.threads.filter { !shown.contains($0.id) }
        if !rest.isEmpty {
            print("\ncomments (\(Plural.count(review.threads.filter { !$0.resolved }.count, "open thread"))):")
            for thread in rest { print(ThreadText.lines(thread, indent: "  ").joined(separator: "\n")) }
        }
        print("\ndecisions:")
        if review.decisions.isEmpty { print("  none yet") }
        for d in review.decisions {
            // Identity, step and digest come from trailers anyone can write: escaped like every repository string.
            let who = Output.safe(d.identity ?? "?") + (d.email.map { " <\(Output.safe($0))>" } ?? "") + (d.onBehalfOf.map { " for \(Output.safe($0))" } ?? "")
            let version = d.current ? "this version" : "an earlier version \(Output.safe(d.digest ?? "?"))"
            var key = d.keyType.map { Output.safe(d.signature?.summary(keyType: $0) ?? $0) } ?? "unsigned"
            if let origin = d.signature?.origin { key += " origin \(Output.safe(origin))" }
            print("  \(d.time)  \(who)  \(d.action)\(d.step.map { " (\(Output.safe($0)))" } ?? "")  \(version)  \(d.effect)  \(key)  \(Output.short(d.commit))")
            if !d.text.isEmpty { print(TerminalText.block(d.text, indent: "    | ")) }
        }
        if !review.open.isEmpty { print("\nopen in step \(Output.safe(review.status.currentStep ?? "?")): \(review.open.map(Output.safe).joined(separator: ", "))") }
        if review.state == "in-progress" {
            print("\nto approve exactly this version: sigit approve \(review.id) --digest \(review.digest)")
        }
    }
}
