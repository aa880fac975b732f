import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy show|approve|withdraw|threshold|sync-signers`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Read the policy, approve or withdraw pending changes, set the threshold, rewrite allowed_signers.",
                                                    subcommands: [PolicyShow.self, PolicyApprove.self, PolicyWithdraw.self, PolicyThreshold.self, PolicySyncSigners.self])
    @ParentCommand var root: SigitCommand
}

/// `sigit policy show`: the policy in force at HEAD and the changes waiting for admins.
struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy in force at HEAD (judged from history, not the working tree) and pending changes.")
    @ParentCommand var parent: PolicyCommand
    @Flag(help: "Print JSON.") var json = false

    struct View: Codable {
        let serial: Int; let threshold: Int; let commit: String?; let digest: String?
        let roles: [String: [String]]; let permissions: [String: [String]]; let identities: [String]; let pending: [PendingPolicyStatus]
    }

    func run() throws {
        let (_, result) = try parent.root.workspace().state()
        guard let policy = result.state.policy else { return }
        let pending = PendingPolicyStatus.all(in: result.state, entries: result.entries)
        if json {
            var permissions: [String: [String]] = [:]
            for (p, list) in policy.permissions { permissions[p.rawValue] = list }
            return try Output.json(View(serial: policy.serial, threshold: policy.threshold, commit: result.state.policyCommit?.hex,
                                        digest: result.state.policyDigest, roles: policy.roles, permissions: permissions,
                                        identities: policy.identities.keys.sorted(), pending: pending))
        }
        let inForce = result.state.policyCommit?.hex ?? "?"
        print("# policy in force: serial \(policy.serial), ratified at \(inForce), \(result.state.policyDigest ?? "")")
        for change in pending {
            let who = change.proposedBy.map { " by \($0)" } ?? ""
            let what = change.subject.map { ": \(Output.safe($0))" } ?? ""
            print("# pending: \(change.digest) (serial \(change.serial)) proposed in \(Output.short(change.commit))\(who)\(what)")
            print("#   \(change.approvals) of \(change.threshold) admins signed (\(change.approvers.joined(separator: ", "))); review with git diff \(Output.short(inForce)) \(Output.short(change.commit)) -- .sigit/policy.yml; approve with sigit policy approve\(pending.count > 1 ? " --digest \(change.digest)" : ""), or withdraw with sigit policy withdraw")
        }
        print(String(decoding: try policy.yaml(), as: UTF8.self), terminator: "")
    }
}

/// `sigit policy approve [--digest sha256:...]`: signs for a pending policy change (admins only).
struct PolicyApprove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve the pending policy change as one more admin (a policy-approve event; the tree is unchanged).")
    @ParentCommand var parent: PolicyCommand
    @Option(help: ArgumentHelp("The pending change's digest, as sigit policy show prints it; needed when several are pending.", valueName: "sha256:HEX"))
    var digest: String?

    func run() throws {
        let written = try parent.root.workspace().approvePolicy(digest: digest)
        print("approved policy change in \(PolicyOutcome.describe(written))")
    }
}

/// `sigit policy threshold N`: how many admins must sign a policy change (a policy change itself).
struct PolicyThreshold: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "threshold", abstract: "Set how many admins must sign a policy change, 1 to the number of admins (admin only).")
    @ParentCommand var parent: PolicyCommand
    @Argument(help: "Admins needed to ratify a policy change.") var count: Int

    func run() throws {
        let written = try parent.root.workspace().changePolicy(subject: "policy: threshold \(count)") { policy, context in
            try PolicyEditor.setThreshold(&policy, count, now: context.now)
        }
        print("threshold set to \(count) in \(PolicyOutcome.describe(written))")
    }
}

/// How a written policy change or approval ended (SigitCore's `PolicyChangeOutcome`), as one line.
enum PolicyOutcome {
    /// `<commit>` plus whether the change is in force or, pending, how many admins signed and what to do next.
    static func describe(_ written: Workspace.Written) -> String {
        let commit = Output.short(written.commit.hex)
        switch written.policyOutcome {
        case .inForce(let serial, _)?:
            return "\(commit): serial \(serial) is in force"
        case .pending(let digest, let approvals, let threshold)?:
            return "\(commit), pending: \(approvals) of \(threshold) admins signed; another admin runs sigit policy approve (digest \(digest)), or sigit policy withdraw drops it"
        case nil:
            return commit
        }
    }
}
