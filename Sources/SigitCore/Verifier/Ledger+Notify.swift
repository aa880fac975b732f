import Foundation
import GitKit

extension Ledger {
    /// A notify event (spec section 6): every notice it records counts, or none does. Each names an agreement that
    /// exists at this commit (`unknown-agreement`); the signer holds `notify` (`permission`); each names an
    /// identity of the policy in force (`malformed-event`). The first notice counts under the event's identity,
    /// each further one under an identity derived from it and its position, so a copy of the event (same signed
    /// payload) is recognised notice by notice at a merge.
    func judgeNotify(_ c: CommitRecord, trailers: EventTrailers, signer: Identity, policy: Policy, state: inout RepositoryState, order: Int) {
        for group in trailers.notices {
            // An agreement exists once a counted draft created it: a folder only a violation made is not one.
            guard let track = state.agreements[group.agreement], track.treeID != nil, track.created != nil else {
                report(c.id, .unknownAgreement, "notify names agreement \(group.agreement), which does not exist at this commit")
                return
            }
        }
        guard policy.allows(.notify, signer.id) else {
            report(c.id, .permission, "\(signer.id) recorded a notification without the notify permission")
            return
        }
        var tracks: [String: AgreementTrack] = [:]
        let eventID = c.eventID ?? EventID(marker: "candidate", commit: c.id.hex)
        for (index, group) in trailers.notices.enumerated() {
            guard var track = tracks[group.agreement] ?? state.agreements[group.agreement] else { return }
            guard policy.identities[group.recipient] != nil, let kind = NoticeKind(rawValue: group.notice) else {
                report(c.id, .malformedEvent, "notify of \(group.agreement) names recipient \(Name.quoted(group.recipient)), which is not an identity of the policy in force")
                return
            }
            let notice = NoticeKey(recipient: group.recipient, kind: kind, step: group.step, channel: group.channel)
            let id = index == 0 ? eventID : EventID(notice: index, of: eventID)
            track.record(RecordedEvent(order: order, commit: c.id, eventID: id, round: track.sent?.eventID, kind: .notify, identity: signer.id, time: c.time,
                                       digest: track.digest, step: group.step, text: c.body, keyBlob: sharedBlob(c.signature.key, of: signer),
                                       notice: notice, signedEvent: eventID))
            tracks[group.agreement] = track
        }
        for (id, track) in tracks { state.agreements[id] = track }
    }
}
