import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy timestamping remove NAME`: stop trusting a time-stamping authority.
struct PolicyTimestampingRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Stop trusting a time-stamping authority: its tokens no longer count.",
        discussion: "Removing the last authority removes the timestamping: section with its settings.")
    @ParentCommand var parent: PolicyTimestamping
    @Argument(help: "The authority's name, as sigit policy show lists it.") var name: String

    func run() throws {
        var left = 0
        let written = try parent.parent.root.workspace().changePolicy(subject: "policy: stop trusting time-stamping authority \(name)") { policy in
            try PolicyEditor.removeAuthority(&policy, name: name)
            left = policy.timestamping?.authorities.count ?? 0
        }
        print("removed time-stamping authority \(name) (\(left == 0 ? "none left" : "\(left) left")) in \(PolicyOutcome.describe(written))")
    }
}
