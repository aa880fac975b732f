import ArgumentParser
import Foundation
import SigitCore

/// `sigit notify [--dry-run] [--now TIME] [--channel SPEC]...`: delivers what history says is due and records it.
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Send the requests, reminders, escalations, expiry warnings and end notices that are due, and record each (needs notify).",
        discussion: """
        Channels: smtp://HOST:PORT (STARTTLS when offered), smtp+starttls://HOST:PORT, smtps://HOST:PORT, sendmail[:PATH], \
        webhook:URL, outbox:DIR; from --channel or git config sigit.notify.channel (comma-separated). Secrets come from the \
        environment only: SIGIT_SMTP_USER/SIGIT_SMTP_PASSWORD, SIGIT_WEBHOOK_SECRET. Running it twice sends nothing the second time.
        """)
    @ParentCommand var root: SigitCommand
    @Flag(help: "Print what is due; send and record nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Judge what is due as of this time instead of now.", valueName: "RFC3339")) var now: String?
    @Option(name: .customLong("channel"), help: ArgumentHelp("A channel (repeatable; overrides git config).", valueName: "SPEC")) var channels: [String] = []
    @Flag(help: "Print JSON.") var json = false

    struct Item: Codable {
        let agreement: String; let recipient: String; let notice: String; let step: String?; let sequence: Int
        let channel: String; let subject: String; let commit: String?; let error: String?
    }
    struct Report: Codable { let delivered: [Item]; let failed: [Item]; let planned: [Item] }

    func run() throws {
        let workspace = try root.writer()  // notify needs the state at HEAD only, not the list of events
        let time = try Output.time(now)
        let outcome = try workspace.notify(channels: try workspace.notifyChannels(channels), now: time, dryRun: dryRun)
        func items(_ list: [NotifyOutcome.Item]) -> [Item] {
            list.map { Item(agreement: $0.notice.agreement, recipient: $0.notice.recipient, notice: $0.notice.kind.rawValue, step: $0.notice.step,
                            sequence: $0.notice.sequence, channel: $0.channel, subject: $0.subject, commit: $0.commit?.hex, error: $0.error) }
        }
        if json {
            try Output.json(Report(delivered: items(outcome.delivered), failed: items(outcome.failed), planned: items(outcome.planned)))
        } else {
            for p in outcome.planned { print("due\t\(p.notice.agreement)\t\(p.notice.kind.rawValue)\tto \(p.notice.recipient)\tby \(p.channel)\t\(Output.safe(p.subject))") }
            for d in outcome.delivered { print("sent\t\(d.notice.agreement)\t\(d.notice.kind.rawValue)\tto \(d.notice.recipient)\tby \(d.channel)\trecorded in \(Output.short(d.commit?.hex ?? ""))") }
            if outcome.planned.isEmpty && outcome.delivered.isEmpty && outcome.failed.isEmpty { print("nothing is due") }
        }
        for f in outcome.failed {
            FileHandle.standardError.write(Data("sigit: notify: \(Output.safe(f.error ?? "failed"))\n".utf8))
        }
        if !outcome.failed.isEmpty { throw ExitCode(2) }
    }
}
