import ArgumentParser
import Foundation
import SigitCore

/// The root command: global options and the verbs.
struct SigitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sigit",
        abstract: "Signature workflows inside a git repository: every action is a signed commit.",
        discussion: """
            Agreements live in agreements/<id>/, identities and permissions in .sigit/policy.yml.
            Exit status: 0 success, 1 a check found a problem (verify, status --check), 2 or more the command could not do its job.
            """,
        version: SigitVersion.current,
        subcommands: [
            InitCommand.self, IdentityCommand.self, RoleCommand.self, GrantCommand.self, UngrantCommand.self, PolicyCommand.self,
            TemplatesCommand.self, NewCommand.self, DraftCommand.self, SendCommand.self, StatusCommand.self,
            InboxCommand.self, ReviewCommand.self, CommentCommand.self, SyncCommand.self, ApproveCommand.self, DeclineCommand.self, DelegateCommand.self, VoidCommand.self, SealCommand.self, TimestampCommand.self, CertificateCommand.self, ExportCommand.self, HookCommand.self, NotifyCommand.self, InviteCommand.self, LogCommand.self, VerifyCommand.self, ServeCommand.self,
        ])

    /// `-C PATH`: run as if started in PATH, like git.
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if sigit was started in PATH.", valueName: "PATH"))
    var directory: String?

    /// `--key PATH`: the signing key, in every verb.
    @Option(help: ArgumentHelp("Signing key: a private key file, a .pub file or key::<public key> held by ssh-agent. Default: SIGIT_SIGNING_KEY, git config user.signingkey, then ~/.ssh/id_ed25519, id_ecdsa, id_ecdsa_sk, id_ed25519_sk, id_rsa.", valueName: "PATH"))
    var key: String?

    /// Opens the workspace the global options name.
    /// A workspace for the agreement verbs: they judge the new event on the state at HEAD only, so the walk may
    /// start from the state snapshot and keeps no event list.
    func writer() throws -> Workspace {
        let workspace = try self.workspace()
        workspace.keepsEntries = false
        workspace.useSnapshot = true
        return workspace
    }

    func workspace(signingKey: String? = nil) throws -> Workspace {
        let workspace = try Workspace(path: directory ?? FileManager.default.currentDirectoryPath, keyOption: signingKey ?? key)
        if isatty(STDERR_FILENO) == 1 { workspace.progress = Progress.line }
        workspace.notice = { FileHandle.standardError.write(Data(("sigit: " + $0 + "\n").utf8)) }
        return workspace
    }
}
