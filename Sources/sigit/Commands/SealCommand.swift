import ArgumentParser
import SigitCore

/// `sigit seal ID`: an SSH-signed tag on the completing commit.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seal", abstract: "Tag a completed agreement with an SSH-signed annotated tag sigit/<id>/completed (git tag -v verifies it).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String

    func run() throws {
        let sealed = try root.workspace().seal(id: id)
        print("sealed \(id): tag \(Workspace.sealTag(id)) (\(Output.short(sealed.tag.hex))) on \(Output.short(sealed.target.hex)); check it with git tag -v \(Workspace.sealTag(id))")
    }
}
