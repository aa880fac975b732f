import Foundation
import GitKit

extension Workspace {
    /// What `sigit verify [REV|A..B]` checks: the commit to walk up to and the commits whose findings are not
    /// reported. A range `A..B` reports the commits of B not in A (an empty side is HEAD); a plain revision, or
    /// none (HEAD), reports everything reachable from it.
    public func verifyRange(_ revision: String?) throws -> (tip: ObjectID, hiding: [ObjectID]) {
        guard let revision else {
            guard let head = try head() else { throw SigitError.repository("the branch has no commits yet; run sigit init first") }
            return (head, [])
        }
        guard let range = revision.range(of: "..") else { return (try resolve(revision), []) }
        let from = String(revision[..<range.lowerBound]), to = String(revision[range.upperBound...])
        return (try resolve(to.isEmpty ? nil : to), [try resolve(from.isEmpty ? nil : from)])
    }

    /// `sigit verify [REV|A..B]`: the verified walk of `verifyRange(revision)`; refuses a history with no trust root.
    public func verify(_ revision: String?) throws -> Ledger.Result {
        let (tip, hiding) = try verifyRange(revision)
        return try ledger(tip: tip, hiding: hiding)
    }
}
