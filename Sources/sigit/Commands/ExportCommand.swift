import ArgumentParser
import Foundation
import SigitCore

/// `sigit export ID -o PATH [--at REV]`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an evidence package an auditor can check with stock git and ssh-keygen alone.",
        discussion: "PATH gets history.git, allowed_signers, certificate.html, certificate.json and VERIFY.md, and with time-stamp tokens timestamps/ and authorities/ (docs/EVIDENCE.md). sigit verify --export PATH --root COMMIT checks one.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The new folder to write (must not exist, or be empty).", valueName: "PATH")) var output: String
    @Option(help: ArgumentHelp("Export the state as of this commit (default HEAD).", valueName: "REV")) var at: String?

    func run() throws {
        let package = try root.workspace().export(id: id, to: output, revision: at, generator: "sigit \(SigitVersion.current)")
        let c = package.certificate
        print("wrote the evidence for \(id) (\(c.agreement.state)\(c.interim ? ", interim" : "")) to \(Output.safe(output)): \(package.signedCommits.count) signed commits to check, trust root \(package.root.hex)")
        if !package.others.isEmpty {
            let shown = package.others.prefix(10).joined(separator: ", ") + (package.others.count > 10 ? " and \(package.others.count - 10) more" : "")
            FileHandle.standardError.write(Data("sigit: warning: the package holds the whole history, so it also reveals the files and events of \(Plural.count(package.others.count, "other agreement")): \(shown) (see VERIFY.md, docs/EVIDENCE.md)\n".utf8))
        }
        print("check it: see \(Output.safe(output))/VERIFY.md, or sigit verify --export \(Output.safe(output)) --root \(package.root.hex)")
    }
}
