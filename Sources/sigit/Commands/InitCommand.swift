import ArgumentParser
import SigitCore

/// `sigit init`: the trust root.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Make this repository a sigit repository with you as its first admin.")
    @ParentCommand var root: SigitCommand
    @Option(help: "Your identity name (a-z, 0-9, . _ -).") var name: String
    @Option(help: "Display name (default: git config user.name).") var displayName: String?
    @Option(help: "Email (default: git config user.email).") var email: String?

    func run() throws {
        let written = try root.workspace().initialize(name: name, displayName: displayName, email: email)
        print("initialized sigit repository; trust root \(written.commit.hex) pinned (admin \(written.identity))")
    }
}
