import ArgumentParser
import Foundation
import SigitCore

/// `sigit timestamp [--tsa URL]... [--all | ID...] [--timeout SECONDS] [--json]`: RFC 3161 tokens for the events
/// that have none, recorded in one signed timestamp event.
struct TimestampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timestamp",
        abstract: "Ask time-stamping authorities (RFC 3161) for tokens over the events that have none, and record them in one signed event.",
        discussion: """
        Selects the events of the agreements named (or, with --all, every agreement's and the policy's events) that \
        have no counted token, asks the TSAs for a token over each commit object (SHA-256, a random nonce, certReq) and \
        records every token that verifies and chains to an authority of the policy in one timestamp event \
        (.sigit/timestamps/<event>.tsr). TSAs: --tsa in the order given, else the url of each authority of the policy, \
        in the policy's order. Per event the TSAs are tried in order until one gives a good token; a TSA that fails \
        gets one warning and is not asked again in this run. Without the timestamp permission, only the events you \
        signed yourself are stamped (the others are left, with a note). Nothing to stamp writes nothing. For an https \
        TSA under a private CA, set SIGIT_TSA_CAFILE to a PEM file of CA certificates.
        Exit status: 0 every selected event you may stamp has a token; 2 nothing could be stamped (nothing written) \
        or the command could not run; 3 some events were stamped and recorded, others stayed without a token.
        """)
    @ParentCommand var root: SigitCommand
    @Option(name: .customLong("tsa"), help: ArgumentHelp("A TSA to ask, http:// or https:// (repeatable; default: the policy's authority urls).", valueName: "URL"))
    var tsas: [String] = []
    @Flag(help: "Stamp every event without a token: all agreements' and the policy's.") var all = false
    @Argument(help: "Agreement ids whose events to stamp.", completion: .agreements) var ids: [String] = []
    @Option(help: ArgumentHelp("Give up on a TSA that has not answered after this many seconds (default 30).", valueName: "SECONDS"))
    var timeout: Double = TSAClient.defaultTimeout
    @Flag(help: "Print JSON.") var json = false

    struct Item: Codable {
        let event: String; let commit: String; let agreement: String?
        let tsa: String?; let authority: String?; let genTime: String?; let path: String?
    }
    struct Report: Codable {
        let identity: String; let commit: String?; let stamped: [Item]; let unstamped: [Item]; let othersEvents: [Item]
        let alreadyStamped: Int; let tsaFailures: [String]
    }

    func validate() throws {
        if all && !ids.isEmpty { throw ValidationError("give agreement ids or --all, not both") }
        if !all && ids.isEmpty { throw ValidationError("say which events to stamp: agreement ids, or --all") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be a number of seconds above 0 and at most 3600") }
    }

    func run() throws {
        let workspace = try root.writer()
        let selection: TimestampRun.Selection = all ? .all : .agreements(ids)
        let caFile = ProcessInfo.processInfo.environment["SIGIT_TSA_CAFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let outcome = try workspace.timestamp(TimestampRun(selection: selection, tsas: tsas, timeout: timeout, caFile: caFile))
        for failure in outcome.tsaFailures { warn("warning: \(failure)") }
        func items(_ list: [TimestampOutcome.Item]) -> [Item] {
            list.map { Item(event: $0.event.hex, commit: $0.commit.hex, agreement: $0.agreement, tsa: $0.tsa, authority: $0.authority,
                            genTime: $0.genTime.map(RFC3339.format), path: $0.path) }
        }
        if json {
            try Output.json(Report(identity: outcome.identity, commit: outcome.commit?.hex, stamped: items(outcome.stamped), unstamped: items(outcome.unstamped),
                                   othersEvents: items(outcome.othersEvents), alreadyStamped: outcome.alreadyStamped,
                                   tsaFailures: outcome.tsaFailures.map(\.description)))
        } else {
            for s in outcome.stamped {
                print("stamped\t\(Output.short(s.commit.hex))\t\(s.agreement ?? "(policy)")\t\(s.genTime.map(RFC3339.format) ?? "?")\tby \(Output.safe(s.tsa ?? "?"))")
            }
            if let commit = outcome.commit {
                let count = outcome.stamped.count
                print("recorded \(count) token\(count == 1 ? "" : "s") in \(Output.short(commit.hex)) as \(outcome.identity)")
            } else if outcome.nothingToDo {
                print("nothing to stamp: every selected event \(outcome.othersEvents.isEmpty ? "" : "you may stamp ")has a token")
            }
        }
        if !outcome.othersEvents.isEmpty {
            let count = outcome.othersEvents.count
            warn("note: \(outcome.identity) has no timestamp permission and stamps only its own events; \(count) event\(count == 1 ? "" : "s") signed by others left for a holder of timestamp")
        }
        for u in outcome.unstamped {
            warn("timestamp: no TSA stamped \(Output.short(u.commit.hex)) (\(u.agreement ?? "policy")); nothing recorded for it")
        }
        if outcome.unstamped.isEmpty { return }
        if outcome.commit == nil {
            warn("timestamp: no TSA gave a token; nothing was written")
            throw ExitCode(2)
        }
        throw ExitCode(3)
    }

    /// One line on standard error.
    func warn(_ line: String) {
        FileHandle.standardError.write(Data("sigit: \(line)\n".utf8))
    }
}
