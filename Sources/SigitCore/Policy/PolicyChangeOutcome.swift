import Foundation
import GitKit

/// Where a written policy change or approval left the policy: in force, or waiting for more admins.
///
/// Derived from the state the write judged, by the digest of the file the event wrote or approved, so the CLI
/// prints it without guessing.
public enum PolicyChangeOutcome: Sendable, Equatable {
    /// The change is the policy in force, with this serial and file digest.
    case inForce(serial: Int, digest: String)
    /// The change waits for `threshold` admins; `approvals` signed so far (the proposer included).
    case pending(digest: String, approvals: Int, threshold: Int)

    /// The outcome for the policy file with `digest` in `state`, or nil when `state` knows no such change.
    public static func of(digest: String, in state: RepositoryState) -> PolicyChangeOutcome? {
        if let pending = state.pending[digest] {
            return .pending(digest: digest, approvals: pending.approvers.count, threshold: state.policy?.threshold ?? 1)
        }
        if state.policyDigest == digest, let policy = state.policy {
            return .inForce(serial: policy.serial, digest: digest)
        }
        return nil
    }
}
