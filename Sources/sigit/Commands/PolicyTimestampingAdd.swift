import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy timestamping add NAME --certificate FILE.pem [--url URL]`: trust a time-stamping authority.
struct PolicyTimestampingAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Trust a time-stamping authority (RFC 3161): its tokens count from then on.",
        discussion: "--certificate is a PEM file with one certificate: the authority's signing certificate, or the root that issued it (then every TSA under that root is trusted). --url is where sigit timestamp asks for tokens when no --tsa is given.")
    @ParentCommand var parent: PolicyTimestamping
    @Argument(help: "A name for the authority (a-z, 0-9, ., _, -).") var name: String
    @Option(help: ArgumentHelp("PEM file with the certificate tokens must chain to.", valueName: "FILE.pem")) var certificate: String?
    @Option(help: ArgumentHelp("The authority's http or https address.", valueName: "URL")) var url: String?

    func run() throws {
        guard let certificate else {
            throw SigitError.badInput("policy timestamping add needs --certificate FILE.pem, the certificate its tokens chain to")
        }
        let der = try PolicyEditor.authorityCertificate(fromFile: certificate)
        var added: TimestampAuthoritySummary?
        let written = try parent.parent.root.workspace().changePolicy(subject: "policy: trust time-stamping authority \(name)") { policy in
            try PolicyEditor.addAuthority(&policy, name: name, certificate: der, url: url)
            added = try policy.timestamping?.authorities.last.map(TimestampAuthoritySummary.init)
        }
        let what = added.map { " (\(Output.safe($0.subject)), \($0.fingerprint), valid \($0.notBefore) to \($0.notAfter))" } ?? ""
        print("added time-stamping authority \(name)\(what) in \(PolicyOutcome.describe(written))")
    }
}
