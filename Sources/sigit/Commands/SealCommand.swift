import ArgumentParser
import Foundation
import SigitCore

/// `sigit seal ID`: an SSH-signed tag on the completing commit.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Tag a completed agreement with an SSH-signed annotated tag sigit/<id>/completed (git tag -v verifies it).",
        discussion: """
        When the policy has a timestamping section, seal first time-stamps the agreement's events that have no token \
        (as sigit timestamp ID does, with the url of each authority of the policy): all of them with the timestamp \
        permission, your own ones without it. When some stay without a token (no url, events of others, TSAs \
        failing), seal prints one note and seals anyway.
        """)
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String

    func run() throws {
        let workspace = try root.workspace()
        let followUp = workspace.timestampBeforeSeal(id: id)
        if let outcome = followUp.outcome, let commit = outcome.commit {
            let count = outcome.stamped.count
            print("time-stamped \(count) event\(count == 1 ? "" : "s") of \(id) in \(Output.short(commit.hex))")
        }
        if let note = followUp.note { FileHandle.standardError.write(Data("sigit: \(note)\n".utf8)) }
        let sealed = try workspace.seal(id: id)
        print("sealed \(id): tag \(Workspace.sealTag(id)) (\(Output.short(sealed.tag.hex))) on \(Output.short(sealed.target.hex)); check it with git tag -v \(Workspace.sealTag(id))")
    }
}
