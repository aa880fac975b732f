import ArgumentParser
import Foundation
import SigitCore

/// `sigit hook install|pre-receive`: the server-side gate for a self-hosted bare repository.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook", abstract: "Install or run the pre-receive hook that refuses pushes breaking the policy.",
        subcommands: [HookInstallCommand.self, PreReceiveCommand.self])
}
