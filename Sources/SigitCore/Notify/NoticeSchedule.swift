import Foundation

/// Derives from history which notices are due as of a time (spec section 6); recorded notices are never due again.
public enum NoticeSchedule {
    /// Every notice due in `state` at `now` that `channel` has not delivered yet, agreements in id order.
    public static func due(in state: RepositoryState, now: Date, channel: String) -> [DueNotice] {
        guard let policy = state.policy else { return [] }
        return state.sortedAgreements.flatMap { due(track: $0, policy: policy, now: now, channel: channel) }
    }

    /// The notices due for one agreement.
    static func due(track: AgreementTrack, policy: Policy, now: Date, channel: String) -> [DueNotice] {
        guard track.treeID != nil, let spec = try? track.spec.get(), let sent = track.sent else { return [] }
        var out: [DueNotice] = []
        func sentCount(_ recipient: String, _ kind: NoticeKind, _ step: String?) -> Int {
            track.notices[NoticeKey(recipient: recipient, kind: kind, step: step, channel: channel)] ?? 0
        }
        func add(_ recipient: String, _ kind: NoticeKind, _ step: String?, _ due: Date, sequence: Int = 1) {
            out.append(DueNotice(agreement: track.id, recipient: recipient, kind: kind, step: step, sequence: sequence, due: due))
        }
        switch track.phase(at: now) {
        case .inProgress:
            guard let step = track.currentStep else { return [] }
            let start = track.stepStarts[step.name] ?? sent.time
            let pending = pendingRecipients(step, track: track, policy: policy)
            for recipient in pending {
                if sentCount(recipient, .request, step.name) == 0 {
                    add(recipient, .request, step.name, start)
                    continue
                }
                if let next = nextReminder(recipient, step: step.name, spec: spec, start: start, track: track, channel: channel), next.at <= now {
                    add(recipient, .reminder, step.name, next.at, sequence: next.sequence)
                }
            }
            if let escalation = spec.escalation, !pending.isEmpty {
                let at = start.addingTimeInterval(TimeInterval(escalation.after.seconds))
                if at <= now {
                    for recipient in members(escalation.to, policy: policy) where sentCount(recipient, .escalation, step.name) == 0 {
                        add(recipient, .escalation, step.name, at)
                    }
                }
            }
            if let deadline = track.deadline, let warn = spec.expireWarn {
                let at = deadline.addingTimeInterval(-TimeInterval(warn.seconds))
                if at <= now {
                    for recipient in unique(pending + [sent.identity]) where sentCount(recipient, .expiryWarning, nil) == 0 {
                        add(recipient, .expiryWarning, nil, at)
                    }
                }
            }
        case .completed, .declined, .voided:
            let kind: NoticeKind = track.phase == .completed ? .completed : track.phase == .declined ? .declined : .voided
            let at = (track.completed ?? track.declined ?? track.voided)?.time ?? now
            for recipient in participants(track, spec: spec, policy: policy) where sentCount(recipient, kind, nil) == 0 {
                add(recipient, kind, nil, at)
            }
        case .draft, .expired, .invalid:
            break
        }
        return out
    }

    /// Whether the current step of `track` is overdue at `now`: still open past its first reminder (or escalation) time.
    public static func overdue(_ track: AgreementTrack, now: Date) -> Bool {
        guard track.phase(at: now) == .inProgress, let step = track.currentStep, let sent = track.sent, let spec = try? track.spec.get() else { return false }
        guard let window = spec.reminders?.first ?? spec.escalation?.after else { return false }
        let start = track.stepStarts[step.name] ?? sent.time
        return now >= start.addingTimeInterval(TimeInterval(window.seconds))
    }

    /// The next reminder time for the current step of `track` (to `recipient`, or to anyone pending), if one is left.
    public static func nextReminder(_ track: AgreementTrack, policy: Policy?, recipient: String? = nil, now: Date) -> Date? {
        guard track.phase(at: now) == .inProgress, let policy, let step = track.currentStep, let sent = track.sent, let spec = try? track.spec.get() else { return nil }
        let start = track.stepStarts[step.name] ?? sent.time
        let people = recipient.map { [$0] } ?? pendingRecipients(step, track: track, policy: policy)
        return people.compactMap { nextReminder($0, step: step.name, spec: spec, start: start, track: track, channel: nil)?.at }.min()
    }

    /// When the next reminder to `recipient` is due, and its number; nil when none is left.
    public static func nextReminder(_ recipient: String, step: String, spec: AgreementSpec, start: Date, track: AgreementTrack, channel: String?) -> (at: Date, sequence: Int)? {
        guard let reminders = spec.reminders else { return nil }
        let count: Int
        if let channel {
            count = track.notices[NoticeKey(recipient: recipient, kind: .reminder, step: step, channel: channel)] ?? 0
        } else {
            count = track.notices.filter { $0.key.recipient == recipient && $0.key.kind == .reminder && $0.key.step == step }.map(\.value).max() ?? 0
        }
        guard count < reminders.max else { return nil }
        if count > 0 && reminders.every == nil { return nil }
        let offset = reminders.first.seconds + (reminders.every?.seconds ?? 0) * Int64(count)
        return (start.addingTimeInterval(TimeInterval(offset)), count + 1)
    }

    /// Identities whose turn it is in `step`: the holders of open slots who may fill them, a delegate in place of the
    /// recipient who delegated; in workflow order, without repeats.
    public static func pendingRecipients(_ step: Step, track: AgreementTrack, policy: Policy) -> [String] {
        Eligibility(track: track, step: step, policy: policy).pendingRecipients()
    }

    /// Who hears about the end of a round: everyone who acted in it, the identity slots, the sender and `cc`.
    static func participants(_ track: AgreementTrack, spec: AgreementSpec, policy: Policy) -> [String] {
        var out: [String] = []
        for step in spec.workflow {
            for slot in step.approvers { if case .identity(let name) = slot { out.append(name) } }
            for fill in track.fills[step.name] ?? [] { out += [fill.event.onBehalfOf, fill.event.identity].compactMap { $0 } }
        }
        out += [track.declined?.identity, track.sent?.identity, track.voided?.identity].compactMap { $0 }
        out += members(spec.cc, policy: policy)
        return unique(out).filter { policy.identities[$0] != nil }
    }

    /// Identities named by slots (role slots expand to their members).
    static func members(_ slots: [Slot], policy: Policy) -> [String] {
        unique(slots.flatMap { slot -> [String] in
            switch slot {
            case .identity(let name): return policy.identities[name] == nil ? [] : [name]
            case .role(let role): return policy.members(of: role)
            }
        })
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
