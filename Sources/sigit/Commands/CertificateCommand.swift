import ArgumentParser
import Foundation
import SigitCore

extension CertificateFormat: ExpressibleByArgument {}

/// `sigit certificate ID [--format html|json|md | --json] [-o FILE] [--at REV]`.
struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate",
        abstract: "Write a certificate of completion (interim until completed) from verified history.",
        discussion: "The JSON form has schema \(Certificate.schemaName) (docs/EVIDENCE.md). People are named as they were at each event. Every string from the repository is escaped.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "html (default), json or md.") var format: CertificateFormat?
    @Flag(help: "Print JSON (the same as --format json).") var json = false
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to FILE (atomically) instead of standard output.", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("The state as of this commit (default HEAD).", valueName: "REV")) var at: String?

    func validate() throws {
        if json, let format, format != .json { throw ValidationError("--json and --format \(format.rawValue) disagree; give one") }
    }

    func run() throws {
        let format = json ? .json : self.format ?? .html
        let certificate = try root.workspace().certificate(id: id, revision: at, generator: "sigit \(SigitVersion.current)")
        let data = try format.render(certificate)
        if let output {
            try Workspace.writeFile(data, to: output)
            print("wrote \(certificate.interim ? "an interim certificate (\(certificate.agreement.state))" : "the certificate of completion") for \(id) to \(Output.safe(output))")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
