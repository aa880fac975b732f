import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy timestamping add|remove|set`: the trusted time-stamping authorities (spec section 8), each change a
/// signed policy change.
struct PolicyTimestamping: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timestamping", abstract: "Change the trusted time-stamping authorities and their settings (admin only).",
        discussion: "Each change is a signed policy change of the timestamping: section, ratified like any other (sigit policy approve when the threshold is above 1). A token counts only when it chains to an authority listed here. sigit policy show lists them.",
        subcommands: [PolicyTimestampingAdd.self, PolicyTimestampingRemove.self, PolicyTimestampingSet.self])
    @ParentCommand var parent: PolicyCommand
}
