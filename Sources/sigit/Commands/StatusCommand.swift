import ArgumentParser
import Foundation
import SigitCore

/// `sigit status [ID] [--check] [--json]`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show agreement and recipient state derived from verified history.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id (default: all).", completion: .agreements) var id: String?
    @Flag(help: "Exit 1 unless the agreement (or every agreement) is completed.") var check = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: ArgumentHelp("List only agreements in this state: draft, in-progress, completed, declined, voided, expired, invalid or tampered.", valueName: "STATE"))
    var state: String?
    @Flag(help: "List only what waits on you, what you sent and what you revised (the identity of your signing key).") var mine = false

    @Option(help: ArgumentHelp("Judge deadlines and reminders as of this time instead of now.", valueName: "RFC3339")) var now: String?

    func run() throws {
        if let state { try AgreementSummary.checkFilter(state) }
        if id != nil, state != nil || mine { throw SigitError.badInput("--state and --mine filter the list of agreements; drop the agreement id") }
        let workspace = try root.workspace()
        workspace.keepsEntries = false
        workspace.useSnapshot = true
        let (_, result) = try workspace.state()
        defer { Output.keepUntilExit(result) }
        let now = try Output.time(self.now)
        if let id {
            guard let track = result.state.agreements[id], track.treeID != nil else { throw SigitError.badInput("no agreement \(id) on this branch") }
            let status = AgreementStatus(track: track, policy: result.state.policy, now: now)
            if json { try Output.json(status) } else { print(render(status)) }
            if check, !status.isSettledCompletion { throw ExitCode(1) }
            return
        }
        var tracks = result.state.sortedAgreements.filter { $0.treeID != nil }
        if mine {
            guard let policy = result.state.policy else { throw SigitError.key("no policy in force: nobody is \"me\" yet") }
            let me = try workspace.me(in: policy, at: now)
            tracks = tracks.filter { $0.concerns(me, policy: result.state.policy, now: now) }
        }
        let rows = tracks.map { AgreementSummary(track: $0, now: now) }.filter { row in state.map(row.isIn) ?? true }
        if json {
            try Output.json(["agreements": rows])
        } else if rows.isEmpty {
            print(mine || state != nil ? "no agreement matches" : "no agreements yet; sigit new TEMPLATE ID")
        } else {
            var text = ""
            for s in rows {
                let threads = s.openThreads > 0 ? "\t" + Plural.count(s.openThreads, "open thread") : ""
                let reason = s.reason.map { "\treason: \(Output.safe(AgreementSummary.oneLine($0)))" } ?? ""
                text += "\(s.id)\t\(s.state)\(s.tamperedAt.map { ", TAMPERED at \(Output.short($0))" } ?? "")\(s.currentStep.map { " (step \($0)\(s.overdue ? ", overdue" : ""))" } ?? "")\t\(Output.safe(s.title))\(threads)\(reason)\n"
            }
            print(text, terminator: "")
        }
        if check, rows.contains(where: { !$0.isSettledCompletion }) { throw ExitCode(1) }
    }

    func render(_ s: AgreementStatus) -> String {
        var lines = ["\(s.id): \(Output.safe(s.title))", "  state   \(s.state)", "  digest  \(s.digest)"]
        if let at = s.tamperedAt {
            lines.append("  TAMPERED at \(Output.short(at)): the files in the tree are not the content this state counts (a violation changed them; sigit verify names it)")
        }
        if let at = s.completedAt { lines.append("  completed at \(Output.short(at))") }
        if let reason = s.reason { lines.append("  reason  \(Output.safe(AgreementSummary.oneLine(reason, limit: 200)))") }
        if let deadline = s.deadline { lines.append("  expires \(deadline)") }
        if s.overdue { lines.append("  overdue (the current step is open past its reminder time)") }
        if let next = s.nextReminder { lines.append("  next reminder \(next)") }
        for step in s.steps {
            lines.append("  step \(step.step) [\(step.state), require \(step.require)]")
            for slot in step.slots {
                let who = slot.identity.map { $0 == slot.slot ? "" : " (\($0))" } ?? ""
                let state = slot.state == "delegated" ? "delegated (to \(slot.delegate ?? "?"))" : slot.state
                let behalf = slot.onBehalfOf.map { " for \($0)" } ?? ""
                lines.append("    \(slot.slot)\(who): \(state)\(behalf)\(slot.commit.map { " " + Output.short($0) } ?? "")")
            }
        }
        if s.stale > 0 { lines.append("  \(Plural.count(s.stale, "stale approval")) of an earlier revision or round") }
        if !s.threads.isEmpty {
            lines.append("  comments: \(s.openThreads) of \(Plural.count(s.threads.count, "thread")) open")
            for thread in s.threads where !thread.resolved { lines += ThreadText.lines(thread, indent: "    ") }
        }
        return lines.joined(separator: "\n")
    }
}
