import Foundation

/// A proposed policy change waiting for admins, as `sigit policy show` prints it and `--json` encodes it.
public struct PendingPolicyStatus: Sendable, Codable, Equatable {
    /// `sha256:<hex>` of the proposed `.sigit/policy.yml`: what `sigit policy approve --digest` names.
    public let digest: String
    /// The commit that proposed it.
    public let commit: String
    /// The proposed serial.
    public let serial: Int
    /// Who proposed it (the signer of the proposing commit), when known.
    public let proposedBy: String?
    /// The proposing commit's subject (untrusted text).
    public let subject: String?
    /// Admins who signed for it so far, the proposer included.
    public let approvers: [String]
    /// How many admins signed so far.
    public let approvals: Int
    /// How many are needed (the threshold of the policy in force).
    public let threshold: Int

    enum CodingKeys: String, CodingKey {
        case digest, commit, serial, subject, approvers, approvals, threshold
        case proposedBy = "proposed-by"
    }

    /// The pending changes of `state`, sorted by digest; `entries` (the ledger's log) name proposers and subjects.
    public static func all(in state: RepositoryState, entries: [LogEntry]) -> [PendingPolicyStatus] {
        let threshold = state.policy?.threshold ?? 1
        return state.pending.values.sorted { $0.digest < $1.digest }.map { pending in
            let entry = entries.last { $0.commit == pending.commit }
            return PendingPolicyStatus(digest: pending.digest, commit: pending.commit.hex, serial: pending.policy.serial,
                                       proposedBy: entry?.identity, subject: entry?.subject, approvers: pending.approvers.sorted(),
                                       approvals: pending.approvers.count, threshold: threshold)
        }
    }
}

extension PendingPolicyStatus {
    /// The pending changes `identity` may still sign for: it is an admin of the policy in force and has not signed yet.
    public static func awaiting(_ identity: String, in state: RepositoryState, entries: [LogEntry] = []) -> [PendingPolicyStatus] {
        guard let policy = state.policy, policy.allows(.admin, identity) else { return [] }
        return all(in: state, entries: entries).filter { !$0.approvers.contains(identity) }
    }
}
