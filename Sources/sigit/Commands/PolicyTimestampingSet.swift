import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy timestamping set [--max-skew DURATION] [--approvals on|off]`: the settings of trusted time.
struct PolicyTimestampingSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set the clock skew tolerated and whether sigit approve time-stamps its approvals.",
        discussion: "--max-skew: a committer time later than an event's trusted time by more than this is a clock-skew warning (default 10m). --approvals on: sigit approve asks the authorities for a token over its own approval.")
    @ParentCommand var parent: PolicyTimestamping
    @Option(help: ArgumentHelp("Clock skew tolerated: minutes, hours or days, like 10m, 2h, 1d.", valueName: "DURATION")) var maxSkew: String?
    @Option(help: ArgumentHelp("Whether sigit approve time-stamps its own approval.", valueName: "on|off")) var approvals: String?

    func run() throws {
        var stamp: Bool?
        switch approvals {
        case nil: stamp = nil
        case "on"?: stamp = true
        case "off"?: stamp = false
        case let other?: throw SigitError.badInput("--approvals takes on or off (got \(Name.quoted(other)))")
        }
        var now = Timestamping(authorities: [])
        let written = try parent.parent.root.workspace().changePolicy(subject: "policy: time-stamping settings") { policy in
            try PolicyEditor.setTimestamping(&policy, maxSkew: maxSkew, approvals: stamp)
            now = policy.timestamping ?? now
        }
        print("time-stamping: max-skew \(Int(now.maxSkew) / 60)m, approvals \(now.approvals ? "on" : "off") in \(PolicyOutcome.describe(written))")
    }
}
