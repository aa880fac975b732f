import ArgumentParser
import Foundation
import SigitCore

/// `sigit hook pre-receive`: run by git with `<old> <new> <ref>` lines on standard input.
struct PreReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pre-receive", abstract: "Check a push (git runs this from the hook; reads <old> <new> <ref> lines).")

    func run() throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let verdict = try Workspace.fromGitEnvironment().preReceive(try RefUpdate.parse(input))
        for line in verdict.lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if !verdict.accepted { throw ExitCode(1) }
    }
}
