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

    /// `sigit notify`: delivers every notice due at `now` over each channel and records each delivered one as a signed
    /// notify event (spec section 6). A failed delivery records nothing and is retried on the next run.
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
        for channel in channels {
            for due in NoticeSchedule.due(in: result.state, now: now, channel: channel.type) {
                guard let track = result.state.agreements[due.agreement], let person = policy.identities[due.recipient] else { continue }
                let text = NoticeText(due, track: track, policy: policy, remote: remote, now: now)
                func item(_ commit: ObjectID?, _ error: String?) -> NotifyOutcome.Item {
                    NotifyOutcome.Item(notice: due, channel: channel.type, subject: text.subject, commit: commit, error: error)
                }
                if dryRun {
                    outcome.planned.append(item(nil, nil))
                    continue
                }
                let notice = Notice(from: from, to: [MailAddress(name: person.name, email: person.email)], subject: text.subject, body: text.body,
                                    messageID: Self.messageID(due, track: track, domain: from.email),
                                    inReplyTo: Self.threadID(track, domain: from.email), references: [Self.threadID(track, domain: from.email)],
                                    date: Date(), event: due.kind.webhookEvent, data: text.fields)
                do {
                    try channel.channel.deliver(notice)
                } catch {
                    outcome.failed.append(item(nil, "\(due.kind.rawValue) of \(due.agreement) to \(due.recipient) over \(channel.type): \(error)"))
                    continue
                }
                do {
                    let written = try record(due, channel: channel.type, now: now)
                    outcome.delivered.append(item(written?.commit, written == nil ? "recorded meanwhile by another run, or no longer due" : nil))
                } catch {
                    outcome.failed.append(item(nil, "\(due.kind.rawValue) of \(due.agreement) to \(due.recipient) was delivered over \(channel.type) but not recorded (it will be sent again): \(error)"))
                }
            }
        }
        return outcome
    }

    /// Writes the notify event for a delivered notice, unless the branch as it is now (another run, a new round) no
    /// longer has it due; nil then.
    func record(_ due: DueNotice, channel: String, now: Date) throws -> Written? {
        struct NoLongerDue: Error {}
        do {
            return try write { state, me in
                guard NoticeSchedule.due(in: state, now: now, channel: channel).contains(due) else { throw NoLongerDue() }
            var trailers = self.trailers(.notify, me, agreement: due.agreement)
            trailers.step = due.step
            trailers.recipient = due.recipient
            trailers.notice = due.kind.rawValue
            trailers.channel = channel
            let sequence = due.kind == .reminder ? " \(due.sequence)" : ""
            return EventDraft(subject: "notify \(due.agreement): \(due.kind.rawValue)\(sequence) to \(due.recipient) by \(channel)", trailers: trailers)
            }
        } catch is NoLongerDue {
            return nil
        }
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
