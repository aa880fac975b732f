import Foundation
import GitKit

extension Workspace {
    /// `sigit review ID [--since REV]`: the changes since the version the reviewer (the identity of the signing key,
    /// when there is one in the policy) last approved or declined with one of the keys it holds now, else since the
    /// version last sent.
    public func review(id: String, since: String? = nil, now: Date = Date()) throws -> Review {
        try Name.check(id, "agreement id")
        let (tip, result) = try state()
        let base = try since.map { try resolve($0) }
        var reviewer: Identity?
        if let policy = result.state.policy {
            reviewer = try? me(in: policy, at: now)
        }
        return try Review.build(id: id, result: result, commit: tip, repo: repo, reviewer: reviewer, since: base, now: now)
    }
}
