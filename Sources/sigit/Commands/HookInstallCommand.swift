import ArgumentParser
import Foundation
import SigitCore

/// `sigit hook install [--repo BARE] [--protect BRANCH]... [--allow-ref PATTERN]... [--root COMMIT] [--force]`.
struct HookInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Write hooks/pre-receive into a (bare) repository.")
    @Option(help: ArgumentHelp("The repository that receives pushes (default: the current one).", valueName: "BARE")) var repo: String?
    @Option(help: ArgumentHelp("A branch that may not be deleted or rewound (repeatable; default: the branch HEAD names).", valueName: "BRANCH")) var protect: [String] = []
    @Option(name: .customLong("allow-ref"), help: ArgumentHelp("Also accept pushed references matching this pattern, e.g. 'refs/pull/*' (repeatable; * matches across /; replaces the stored list). Never replace references or names that shadow a protected branch.", valueName: "PATTERN")) var allowRef: [String] = []
    @Option(help: ArgumentHelp("Pin this trust root (default: the root of the history already there, else the first pushed).", valueName: "COMMIT")) var root: String?
    @Option(help: ArgumentHelp("The sigit binary the hook runs (default: this one).", valueName: "PATH")) var sigit: String?
    @Flag(help: "Replace a pre-receive hook sigit did not write.") var force = false

    func run() throws {
        let workspace = try Workspace(path: repo ?? FileManager.default.currentDirectoryPath)
        let binary = sigit ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        let path = try workspace.installHook(sigit: URL(fileURLWithPath: binary).standardizedFileURL.path, protect: protect, allowRefs: allowRef, root: root, force: force)
        let allowed = try workspace.allowedRefPatterns().map(\.text)
        print("installed \(Output.safe(path)); protected: \(try workspace.protectedBranches().joined(separator: ", "))"
              + "; accepted: refs/heads/*, refs/tags/sigit/*\(allowed.map { ", " + Output.safe($0) }.joined())")
    }
}
