import ArgumentParser
import Foundation
import SigitCore

/// `sigit policy show`: the policy in force at HEAD and the changes waiting for admins.
struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy in force at HEAD (judged from history, not the working tree) and pending changes.")
    @ParentCommand var parent: PolicyCommand
    @Flag(help: "Print JSON.") var json = false

    struct View: Codable {
        let serial: Int; let threshold: Int; let commit: String?; let digest: String?
        let roles: [String: [String]]; let permissions: [String: [String]]; let identities: [String]; let pending: [PendingPolicyStatus]
        let timestamping: TimestampingView?
    }

    /// The `timestamping:` section: the authorities with their certificates summed up, and the settings.
    struct TimestampingView: Codable {
        let authorities: [TimestampAuthoritySummary]; let maxSkew: String; let approvals: Bool
        enum CodingKeys: String, CodingKey { case authorities, approvals; case maxSkew = "max-skew" }
    }

    func run() throws {
        let (_, result) = try parent.root.workspace().state()
        guard let policy = result.state.policy else { return }
        let pending = PendingPolicyStatus.all(in: result.state, entries: result.entries)
        let timestamping = try policy.timestamping.map {
            TimestampingView(authorities: try $0.authorities.map(TimestampAuthoritySummary.init), maxSkew: "\(Int($0.maxSkew) / 60)m", approvals: $0.approvals)
        }
        if json {
            var permissions: [String: [String]] = [:]
            for (p, list) in policy.permissions { permissions[p.rawValue] = list }
            return try Output.json(View(serial: policy.serial, threshold: policy.threshold, commit: result.state.policyCommit?.hex,
                                        digest: result.state.policyDigest, roles: policy.roles, permissions: permissions,
                                        identities: policy.identities.keys.sorted(), pending: pending, timestamping: timestamping))
        }
        let inForce = result.state.policyCommit?.hex ?? "?"
        print("# policy in force: serial \(policy.serial), ratified at \(inForce), \(result.state.policyDigest ?? "")")
        for change in pending {
            let who = change.proposedBy.map { " by \($0)" } ?? ""
            let what = change.subject.map { ": \(Output.safe($0))" } ?? ""
            print("# pending: \(change.digest) (serial \(change.serial)) proposed in \(Output.short(change.commit))\(who)\(what)")
            print("#   \(change.approvals) of \(change.threshold) admins signed (\(change.approvers.joined(separator: ", "))); review with git diff \(Output.short(inForce)) \(Output.short(change.commit)) -- .sigit/policy.yml; approve with sigit policy approve\(pending.count > 1 ? " --digest \(change.digest)" : ""), or withdraw with sigit policy withdraw")
        }
        for authority in timestamping?.authorities ?? [] {
            let url = authority.url.map { ", \(Output.safe($0))" } ?? ""
            print("# time-stamping authority \(authority.name)\(url): \(Output.safe(authority.subject)), \(authority.fingerprint), valid \(authority.notBefore) to \(authority.notAfter)")
        }
        print(String(decoding: try policy.yaml(), as: UTF8.self), terminator: "")
    }
}
