import ArgumentParser
import Foundation
import SigitServe

/// `sigit serve [--listen HOST:PORT] [--origin URL] [--push]`.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the signing pages where invited counterparties read an agreement and sign with a browser passkey.",
        discussion: """
            Each invitation's link (sigit invite) opens its page at ORIGIN/i/<secret>. The server holds no key that counts:
            every event it writes is signed by the invitee's passkey. Passkeys need a secure context: https, or http on localhost.
            """)
    @ParentCommand var root: SigitCommand
    @Option(help: ArgumentHelp("Address to listen on (port 0: any free port).", valueName: "HOST:PORT")) var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("The origin browsers use; its host is the passkeys' relying party. Default: http://localhost:<port>.", valueName: "URL")) var origin: String?
    @Flag(help: "Push each new commit to the branch's upstream (sigit sync); a failed push is reported, the commit stays.") var push = false

    func run() throws {
        let options = try ServeOptions(repository: root.directory ?? FileManager.default.currentDirectoryPath, listen: listen, origin: origin, push: push)
        try SigningServer(options: options).run { origin, repository, address in
            // Written straight to the descriptor (print's buffer could hold it): tests and scripts wait for this line.
            FileHandle.standardOutput.write(Data("sigit serve: listening on \(origin) (repository \(Output.safe(repository)))\nsigit serve: bound to \(address)\n".utf8))
        }
    }
}
