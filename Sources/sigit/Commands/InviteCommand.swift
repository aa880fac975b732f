import ArgumentParser
import Foundation
import SigitCore
import SigitServe

/// `sigit invite ID --name NAME --email EMAIL [--step STEP] [--expires 7d]`.
struct InviteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Invite a counterparty to sign an agreement in a browser with a passkey (needs admin).",
        discussion: """
        Adds the human identity NAME with no key and a single-use invitation for agreement ID (the policy keeps only the \
        SHA-256 of its secret), then sends the link <origin>/i/<secret> over the notify channels (--channel or git config \
        sigit.notify.channel). The invitee opens it where sigit serve runs, creates a passkey and approves or declines. \
        The agreement may be drafted after the invitation (name NAME in a step before sending it). Origin: --origin, \
        else git config sigit.serve.origin, else http://localhost:8080.
        """)
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: ArgumentHelp("The invitee's identity name in the policy.", valueName: "NAME")) var name: String
    @Option(help: ArgumentHelp("The invitee's email: where the link goes, and the allowed_signers principal.", valueName: "EMAIL")) var email: String
    @Option(help: ArgumentHelp("The invitee's full name, as commits show it (default: NAME).", valueName: "TEXT")) var displayName: String?
    @Option(help: ArgumentHelp("The step the invitee signs (default: any step that names them).", valueName: "STEP")) var step: String?
    @Option(help: ArgumentHelp("How long the link can enroll a passkey, like 7d or 48h.", valueName: "DURATION")) var expires = "7d"
    @Option(help: ArgumentHelp("Where sigit serve is reached, e.g. https://sign.example.com.", valueName: "URL")) var origin: String?
    @Option(name: .customLong("channel"), help: ArgumentHelp("A channel to send the link by (repeatable; overrides git config).", valueName: "SPEC")) var channels: [String] = []
    @Flag(help: "Also print the link (it is the secret: hand it only to the invitee).") var printLink = false

    func run() throws {
        guard let duration = WorkflowDuration(expires), duration.seconds > 0 else {
            throw ValidationError("--expires takes a duration like 7d, 48h or 30m")
        }
        let workspace = try root.writer()
        // The same check as sigit serve's: the link is the secret, so it goes to https (or http://localhost) only.
        let base = try ServeOptions.parseOrigin(try origin ?? workspace.configValue("sigit.serve.origin") ?? "http://localhost:8080").origin
        // Checked before anything is written: a link nobody receives would only have to be revoked.
        let resolved = channels.isEmpty && printLink && (try? workspace.configValue("sigit.notify.channel")) == nil ? [] : try workspace.notifyChannels(channels)
        let invited = try workspace.invite(agreement: id, name: name, email: email, displayName: displayName, step: step,
                                           expires: Date().addingTimeInterval(TimeInterval(duration.seconds)))
        let link = Workspace.invitationLink(origin: base, secret: invited.secret)
        print("invited \(name) <\(Output.safe(email))> to sign \(id) in \(Output.short(invited.written.commit.hex)); the link expires at \(RFC3339.format(invited.invitation.expires))")
        if case .pending? = invited.written.policyOutcome {
            print("the invitation is pending until more admins approve it (sigit policy approve); the link works from then on")
        }
        if !invited.agreementNamesInvitee {
            print("note: agreement \(id) does not name \(name) in \(step.map { "step \($0)" } ?? "a step") yet; name them before sending it")
        }
        let (delivered, failed) = try workspace.deliverInvitation(invited, link: link, channels: resolved)
        for type in delivered { print("sent the link to \(Output.safe(email)) by \(type)") }
        if printLink { print(link) }
        for error in failed { FileHandle.standardError.write(Data("sigit: invite: the link was not sent: \(Output.safe(error))\n".utf8)) }
        if !failed.isEmpty && delivered.isEmpty && !printLink {
            FileHandle.standardError.write(Data("sigit: invite: run sigit invite again to make a new link (the unsent one stops working)\n".utf8))
            throw ExitCode(2)
        }
    }
}
