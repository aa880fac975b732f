import Foundation
import GitKit

extension Workspace {
    /// After `sigit approve` wrote `approval` (an approval of agreement `id`; `state` is the state after it): when the
    /// policy says `timestamping: approvals: true`, asks the policy's TSAs (their `url`s, in order) for a token over it
    /// and records it in a `timestamp` event. Nil when the policy does not ask for it. Never throws: the approval stands
    /// whatever the TSAs do, and the note says what to run later.
    public func timestampApproval(_ approval: ObjectID, agreement id: String, state: RepositoryState) -> TimestampFollowUp? {
        guard let section = state.policy?.timestamping, section.approvals else { return nil }
        let later = "run sigit timestamp \(id) later"
        guard !section.authorities.isEmpty, section.authorities.contains(where: { $0.url != nil }) else {
            return TimestampFollowUp(note: "warning: the approval is recorded but not time-stamped: the policy asks for it (timestamping: approvals: true) but no authority of it has a url; \(later) with --tsa URL")
        }
        do {
            let outcome = try timestamp(TimestampRun(selection: .commits([approval])))
            guard outcome.stamped.isEmpty else { return TimestampFollowUp(outcome: outcome) }
            let why = outcome.tsaFailures.map(\.description).joined(separator: "; ")
            return TimestampFollowUp(outcome: outcome, note: "warning: the approval is recorded but not time-stamped (\(why.isEmpty ? "no TSA gave a token" : why)); \(later)")
        } catch {
            return TimestampFollowUp(note: "warning: the approval is recorded but not time-stamped (\(error)); \(later)")
        }
    }

    /// Before `sigit seal ID` tags a completed agreement: time-stamps the agreement's counted events that have no token
    /// yet, with the TSAs of the policy (their `url`s), when the sealer may stamp them (the `timestamp` permission
    /// stamps all; without it, the sealer's own events only). A policy without a `timestamping` section does nothing;
    /// anything that stays unstamped (no url, events of others, TSAs failing) gives one note, and the seal goes on.
    /// An agreement that cannot be sealed (unknown, not completed, already sealed) is left to `seal` to refuse.
    public func timestampBeforeSeal(id: String) -> TimestampFollowUp {
        guard (try? Name.check(id, "agreement id")) != nil, let (_, result) = try? state(), let policy = result.state.policy,
              let section = policy.timestamping, let track = result.state.agreements[id], track.phase == .completed,
              (try? repo.resolveReference("refs/tags/" + Self.sealTag(id))) == .some(nil) else { return TimestampFollowUp() }
        let open = result.state.stampableEvents(agreements: [id]).filter { result.state.trustedTimes[$0.event] == nil }
        guard !open.isEmpty else { return TimestampFollowUp() }
        let unstamped = "\(open.count) event\(open.count == 1 ? "" : "s") of \(id) without a token"
        guard !section.authorities.isEmpty, section.authorities.contains(where: { $0.url != nil }) else {
            return TimestampFollowUp(note: "note: sealing with \(unstamped): no authority of the policy has a url to ask (sigit timestamp --tsa URL \(id) stamps them)")
        }
        do {
            let outcome = try timestamp(TimestampRun(selection: .agreements([id])))
            var reasons: [String] = []
            if !outcome.othersEvents.isEmpty {
                reasons.append("\(outcome.othersEvents.count) signed by others, which \(outcome.identity) may not stamp without the timestamp permission")
            }
            if !outcome.unstamped.isEmpty {
                let why = outcome.tsaFailures.map(\.description).joined(separator: "; ")
                reasons.append("\(outcome.unstamped.count) no TSA stamped (\(why.isEmpty ? "no token" : why))")
            }
            guard !reasons.isEmpty else { return TimestampFollowUp(outcome: outcome) }
            return TimestampFollowUp(outcome: outcome, note: "note: sealing with events of \(id) left without a token: \(reasons.joined(separator: "; ")); sigit timestamp \(id) stamps them later")
        } catch {
            return TimestampFollowUp(note: "note: sealing with \(unstamped): \(error)")
        }
    }
}
