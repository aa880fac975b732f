import Delivery
import Foundation
import GitKit

extension Workspace {
    /// The channels of `--channel` (when given) or of git config `sigit.notify.channel` (comma-separated).
    public func notifyChannels(_ specs: [String]) throws -> [NotifyChannel] {
        var list = specs
        if list.isEmpty, let configured = try repo.configString("sigit.notify.channel") {
            list = configured.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard !list.isEmpty else {
            throw SigitError.badInput("no notification channel: pass --channel (smtp://HOST:PORT, sendmail, webhook:URL, outbox:DIR) or set git config sigit.notify.channel")
        }
        let config: (String) -> String? = { [repo] name in (try? repo.configString(name)) ?? nil }
        let channels = try list.map { try NotifyChannel(spec: $0, environment: environment, config: config) }
        // Notices are counted per channel type: two channels of one type would record every notice twice.
        var seen = Set<String>()
        for channel in channels where !seen.insert(channel.type).inserted {
            throw SigitError.badInput("two \(channel.type) channels: notices are recorded per channel type, so give one channel of each type")
        }
        return channels
    }

    /// `sigit notify`: delivers every notice due at `now` over each channel, then records every delivered one in a
    /// single signed notify event, one trailer group per notice (spec section 6, docs/FORMAT.md). A failed delivery
    /// records nothing and is retried on the next run; the other notices of the run are still recorded.
    public func notify(channels: [NotifyChannel], now: Date, dryRun: Bool) throws -> NotifyOutcome {
        let (_, result) = try state()
        guard let policy = result.state.policy else { throw SigitError.repository("no policy in force") }
        let me = try identity(of: try signer(), in: policy)
        guard policy.allows(.notify, me.id) else {
            throw SigitError.notAllowed("\(me.id) lacks the notify permission, so nothing could be recorded; an admin can grant it (sigit grant notify \(me.id)); nothing was sent")
        }
        let remote = try repo.configString("remote.origin.url")
        let from = try sender(default: me)
        var outcome = NotifyOutcome()
        var sent: [NotifyOutcome.Item] = []
        for channel in channels {
            for due in NoticeSchedule.due(in: result.state, now: now, channel: channel.type) {
                guard let track = result.state.agreements[due.agreement], let person = policy.identities[due.recipient] else { continue }
                let text = NoticeText(due, track: track, policy: policy, remote: remote, now: now)
                func item(_ error: String?) -> NotifyOutcome.Item {
                    NotifyOutcome.Item(notice: due, channel: channel.type, subject: text.subject, commit: nil, error: error)
                }
                if dryRun {
                    outcome.planned.append(item(nil))
                    continue
                }
                let notice = Notice(from: from, to: [MailAddress(name: person.name, email: person.email)], subject: text.subject, body: text.body,
                                    messageID: Self.messageID(due, track: track, domain: from.email),
                                    inReplyTo: Self.threadID(track, domain: from.email), references: [Self.threadID(track, domain: from.email)],
                                    date: Date(), event: due.kind.webhookEvent, data: text.fields)
                do {
                    try channel.channel.deliver(notice)
                    sent.append(item(nil))
                } catch {
                    outcome.failed.append(item("\(due.kind.rawValue) of \(due.agreement) to \(due.recipient) over \(channel.type): \(error)"))
                }
            }
        }
        guard !sent.isEmpty else { return outcome }
        func with(_ item: NotifyOutcome.Item, _ commit: ObjectID?, _ error: String?) -> NotifyOutcome.Item {
            NotifyOutcome.Item(notice: item.notice, channel: item.channel, subject: item.subject, commit: commit, error: error)
        }
        do {
            let (written, recorded) = try record(sent.map { ($0.notice, $0.channel) }, now: now)
            for (item, isRecorded) in zip(sent, recorded) {
                outcome.delivered.append(with(item, isRecorded ? written?.commit : nil, isRecorded ? nil : "recorded meanwhile by another run, or no longer due"))
            }
        } catch {
            for item in sent {
                outcome.failed.append(with(item, nil, "\(item.notice.kind.rawValue) of \(item.notice.agreement) to \(item.notice.recipient) was delivered over \(item.channel) but not recorded (it will be sent again): \(error)"))
            }
        }
        return outcome
    }

    /// Writes one notify event for the delivered notices that the branch as it is now (another run, a new round)
    /// still has due; returns it (nil when none is) and, per notice, whether it is in it.
    func record(_ notices: [(due: DueNotice, channel: String)], now: Date) throws -> (Written?, [Bool]) {
        struct NoLongerDue: Error {}
        var recorded = [Bool](repeating: false, count: notices.count)
        do {
            let written = try write { state, me in
                var dueByChannel: [String: [DueNotice]] = [:]
                for channel in Set(notices.map(\.channel)) { dueByChannel[channel] = NoticeSchedule.due(in: state, now: now, channel: channel) }
                recorded = notices.map { dueByChannel[$0.channel]?.contains($0.due) ?? false }
                let groups = zip(notices, recorded).filter(\.1).map { notice, _ in
                    NoticeGroup(agreement: notice.due.agreement, step: notice.due.step, recipient: notice.due.recipient, notice: notice.due.kind.rawValue,
                                channel: notice.channel)
                }
                guard !groups.isEmpty else { throw NoLongerDue() }
                return EventDraft(subject: Self.notifySubject(zip(notices, recorded).filter(\.1).map(\.0)),
                                  trailers: .notify(identity: me.id, notices: groups))
            }
            return (written, recorded)
        } catch is NoLongerDue {
            return (nil, [Bool](repeating: false, count: notices.count))
        }
    }

    /// The subject of a notify event: the notice itself when there is one, else how many and for which agreements.
    static func notifySubject(_ notices: [(due: DueNotice, channel: String)]) -> String {
        if notices.count == 1, let (due, channel) = notices.first {
            let sequence = due.kind == .reminder ? " \(due.sequence)" : ""
            return "notify \(due.agreement): \(due.kind.rawValue)\(sequence) to \(due.recipient) by \(channel)"
        }
        var seen = Set<String>()
        let ids = notices.map(\.due.agreement).filter { seen.insert($0).inserted }
        let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? " and \(ids.count - 5) more" : "")
        return "notify: \(notices.count) notices (\(shown))"
    }

    /// The From address: git config `sigit.notify.from` (`Name <email>` or `email`), else the notifier identity.
    func sender(default me: Identity) throws -> MailAddress {
        guard let text = try repo.configString("sigit.notify.from"), !text.isEmpty else { return MailAddress(name: me.name, email: me.email) }
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
            return MailAddress(name: name, email: String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        }
        return MailAddress(name: me.name, email: text)
    }

    /// A stable Message-ID per notice, so a resent notice (delivered but not recorded) carries the same id.
    static func messageID(_ due: DueNotice, track: AgreementTrack, domain email: String) -> String {
        let host = email.split(separator: "@").last.map(String.init) ?? "sigit.invalid"
        let round = track.sent.map { String($0.commit.hex.prefix(12)) } ?? "none"
        return "<sigit.\(due.agreement).\(round).\(due.kind.rawValue).\(due.step ?? "all").\(due.recipient).\(due.sequence)@\(host)>"
    }

    /// The id every notice of one agreement's round refers to, so mail clients thread them together.
    static func threadID(_ track: AgreementTrack, domain email: String) -> String {
        let host = email.split(separator: "@").last.map(String.init) ?? "sigit.invalid"
        let round = track.sent.map { String($0.commit.hex.prefix(12)) } ?? "none"
        return "<sigit.\(track.id).\(round)@\(host)>"
    }
}
