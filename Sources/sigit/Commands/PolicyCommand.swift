import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy show|approve|threshold`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Read the policy, approve pending changes, set the threshold.",
                                                    subcommands: [PolicyShow.self, PolicyApprove.self, PolicyThreshold.self])
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
            print("#   \(change.approvals) of \(change.threshold) admins signed (\(change.approvers.joined(separator: ", "))); review with git diff \(Output.short(inForce)) \(Output.short(change.commit)) -- .sigit/policy.yml; approve with sigit policy approve\(pending.count > 1 ? " --digest \(change.digest)" : "")")
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
        // The written state was judged on the candidate, before it had its commit id: tell the outcomes apart by content.
        let state = written.state
        let commit = Output.short(written.commit.hex)
        if let pending = state.pending.values.first(where: { $0.approvers.contains(written.identity) }) {
            let threshold = state.policy?.threshold ?? 1
            print("approved policy change \(pending.digest) in \(commit): \(pending.approvers.count) of \(threshold) admins signed; waiting for \(threshold - pending.approvers.count) more")
        } else {
            print("approved policy change \(state.policyDigest ?? ""): serial \(state.policy?.serial ?? 0) is in force from \(commit)")
        }
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

/// How a written policy change ended: in force at once, or pending until more admins approve it.
enum PolicyOutcome {
    /// `<commit>` plus, for a pending change, how many admins signed and what to do next.
    static func describe(_ written: Workspace.Written) -> String {
        // The written state was judged on the candidate, before it had its commit id; a policy change refuses to
        // run while another is pending, so a pending change here is this one.
        let commit = Output.short(written.commit.hex)
        guard let pending = written.state.pending.values.first else { return commit }
        let threshold = written.state.policy?.threshold ?? 1
        return "\(commit), pending: \(pending.approvers.count) of \(threshold) admins signed; another admin runs sigit policy approve (digest \(pending.digest))"
    }
}
