import Foundation
import GitKit

extension Workspace {
    /// `sigit log [ID]`: the events of the verified history at HEAD (of agreement `id` only, when given) and the
    /// rules each event's commit broke. An id no event of the history names is refused: a typo must not look like
    /// an agreement nobody acted on.
    public func auditTrail(agreement id: String?) throws -> (entries: [LogEntry], violations: [ObjectID: [Rule]]) {
        if let id { try Name.check(id, "agreement id") }
        let (_, result) = try state()
        if let id, result.state.agreements[id] == nil, !result.entries.contains(where: { $0.agreements.contains(id) }) {
            throw SigitError.badInput("no agreement \(id) on this branch")
        }
        var violations: [ObjectID: [Rule]] = [:]
        for finding in result.findings where finding.severity == .violation { violations[finding.commit, default: []].append(finding.rule) }
        let entries = id.map { id in result.entries.filter { $0.agreements.contains(id) } } ?? result.entries
        return (entries, violations)
    }
}
