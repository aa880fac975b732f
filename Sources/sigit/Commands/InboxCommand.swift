import ArgumentParser
import Foundation
import SigitCore

/// `sigit inbox`: what waits for the current signer.
struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inbox", abstract: "List the steps and policy changes waiting for you (the identity of your signing key).")
    @ParentCommand var root: SigitCommand
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Also list the agreements you sent and whom each waits on.") var all = false
    @Option(help: ArgumentHelp("Judge deadlines and reminders as of this time instead of now.", valueName: "RFC3339")) var now: String?

    func run() throws {
        let workspace = try root.workspace()
        workspace.keepsEntries = false
        workspace.useSnapshot = true
        let time = try Output.time(now)
        let (_, result) = try workspace.state()
        defer { Output.keepUntilExit(result) }
        guard let policy = result.state.policy else { return }
        let me = try workspace.me(in: policy, at: time)
        let items = InboxItem.items(for: me, in: result.state, now: time)
        let policies = PendingPolicyStatus.awaiting(me.id, in: result.state)
        let sent = all ? SentItem.items(sentBy: me.id, in: result.state, now: time) : nil
        if json { return try Output.json(InboxJSON(identity: me.id, items: items, policies: policies, sent: sent)) }
        if items.isEmpty && policies.isEmpty { print("nothing waits for \(me.id)") }
        for p in policies {
            print("policy serial \(p.serial)\t\(p.approvals) of \(p.threshold) admins signed\tsigit policy approve --digest \(p.digest)\t\(Output.short(p.commit))")
        }
        for item in items {
            print("\(item.id)\tstep \(item.step) as \(item.slot)\(item.onBehalfOf.map { " for \($0)" } ?? "")\t\(Output.safe(item.title))\(item.deadline.map { "\tdue \($0)" } ?? "")\(item.overdue ? "\toverdue" : "")\(item.nextReminder.map { "\tnext reminder \($0)" } ?? "")")
        }
        if let sent {
            print(sent.isEmpty ? "\nyou sent no agreement" : "\nsent by \(me.id):")
            for item in sent {
                let waits = item.waitingOn.isEmpty ? "" : "\twaits on \(item.waitingOn.map(Output.safe).joined(separator: ", "))"
                let blocked = item.blocked.isEmpty ? "" : "\tblocked: \(item.blocked.map(Output.safe).joined(separator: ", "))"
                let threads = item.openThreads > 0 ? "\t" + Plural.count(item.openThreads, "open thread") : ""
                print("\(item.id)\t\(item.state)\(item.step.map { " (step \(Output.safe($0)))" } ?? "")\t\(Output.safe(item.title))\(waits)\(blocked)\(threads)")
            }
        }
    }
}

/// The JSON of `sigit inbox`.
struct InboxJSON: Encodable {
    let identity: String
    let items: [InboxItem]
    /// Pending policy changes the identity, an admin, has not signed yet.
    let policies: [PendingPolicyStatus]
    /// With `--all`: the agreements the identity sent.
    let sent: [SentItem]?
}
