import Foundation

/// The subject and plain-text body of one notice: useful on its own, with the exact commands to run.
/// Untrusted text (titles, reasons) has its control characters escaped.
public struct NoticeText: Sendable, Equatable {
    /// Subject line.
    public let subject: String
    /// Body, `\n` line ends.
    public let body: String
    /// Structured fields for machine channels (webhooks).
    public let fields: [String: String]

    /// Composes the text of `notice` about `track`.
    public init(_ notice: DueNotice, track: AgreementTrack, policy: Policy, remote: String?, now: Date) {
        let spec = try? track.spec.get()
        let title = TerminalText.safe(spec?.title ?? track.id)
        let id = track.id
        let stepLabel = notice.step.map { name -> String in
            let index = (spec?.workflow.firstIndex { $0.name == name }).map { " (\($0 + 1) of \(spec?.workflow.count ?? 0))" } ?? ""
            return name + index
        }
        let deadline = track.deadline.map(RFC3339.format)
        let recipientName = policy.identities[notice.recipient]?.name ?? notice.recipient
        var lines: [String] = []
        let subject: String
        switch notice.kind {
        case .request, .reminder:
            let behalf = notice.step.flatMap { step in track.delegations[step]?.values.first { $0.delegate == notice.recipient }?.identity }
            subject = notice.kind == .request
                ? "[sigit] Please review and approve: \(title) (\(id))"
                : "[sigit] Reminder \(notice.sequence): \(title) (\(id)) awaits your approval"
            lines.append("Hello \(TerminalText.safe(recipientName)),")
            lines.append("")
            lines.append(notice.kind == .request
                         ? "It is your turn to review and approve \"\(title)\"."
                         : "\"\(title)\" is still waiting for your approval (reminder \(notice.sequence)).")
            if let behalf { lines.append("You act for \(behalf), who delegated this step to you.") }
        case .escalation:
            let waiting = notice.step.flatMap { name in spec?.workflow.first { $0.name == name } }
                .map { NoticeSchedule.pendingRecipients($0, track: track, policy: policy) } ?? []
            subject = "[sigit] Overdue: \(title) (\(id)) is waiting for \(waiting.joined(separator: ", "))"
            lines.append("Step \(stepLabel ?? "?") of \"\(title)\" is overdue.")
            lines.append("Still waiting for: \(waiting.joined(separator: ", ")).")
        case .expiryWarning:
            subject = "[sigit] Expires \(deadline ?? "soon"): \(title) (\(id))"
            lines.append("\"\(title)\" expires at \(deadline ?? "?"); approvals after that do not count.")
        case .completed:
            subject = "[sigit] Completed: \(title) (\(id))"
            lines.append("\"\(title)\" is completed: every step has its approvals.")
        case .declined:
            let who = track.declined?.identity ?? "?"
            subject = "[sigit] Declined by \(who): \(title) (\(id))"
            lines.append("\(who) declined \"\(title)\" in step \(track.declined?.step ?? "?").")
            if let reason = track.declined?.text, !reason.isEmpty {
                lines.append("Reason:")
                lines.append(TerminalText.block(reason, indent: "  "))
            }
        case .voided:
            let who = track.voided?.identity ?? "?"
            subject = "[sigit] Voided: \(title) (\(id))"
            lines.append("\(who) voided \"\(title)\"; no further action counts.")
            if let reason = track.voided?.text, !reason.isEmpty {
                lines.append("Reason:")
                lines.append(TerminalText.block(reason, indent: "  "))
            }
        }
        lines.append("")
        lines.append("Agreement:  \(title)")
        lines.append("Id:         \(id)")
        if let stepLabel { lines.append("Step:       \(stepLabel)") }
        lines.append("State:      \(track.phase(at: now).rawValue)")
        lines.append("Digest:     \(track.digest)")
        if let deadline { lines.append("Deadline:   \(deadline)") }
        if let documents = spec?.documents, !documents.isEmpty { lines.append("Documents:  \(documents.map(TerminalText.safe).joined(separator: ", "))") }
        if let remote { lines.append("Repository: \(TerminalText.safe(remote))") }
        if notice.kind == .request || notice.kind == .reminder, policy.identities[notice.recipient]?.invitation != nil {
            // An invited counterparty has no clone: the invitation's link (mailed by sigit invite; never in the
            // repository, so not repeated here) is where they read and sign.
            lines.append("")
            lines.append("Open the link of your invitation (the mail \"asks you to sign\") in a browser to read")
            lines.append("the agreement and approve or decline it with your passkey.")
        } else if notice.kind == .request || notice.kind == .reminder {
            lines.append("")
            lines.append("In your clone of the repository:")
            lines.append("  sigit sync")
            lines.append("  sigit review \(id)")
            lines.append("  sigit approve \(id) --digest \(track.digest)")
            lines.append("or, to decline:")
            lines.append("  sigit decline \(id) --reason \"...\"")
        } else {
            lines.append("")
            lines.append("Details: sigit status \(id) and sigit log \(id) in your clone.")
        }
        lines.append("")
        lines.append("-- ")
        lines.append("Sent by sigit notify; recorded as a signed notify event in the repository.")
        self.subject = subject
        self.body = lines.joined(separator: "\n") + "\n"
        var fields = ["agreement": id, "title": spec?.title ?? "", "notice": notice.kind.rawValue, "recipient": notice.recipient,
                      "digest": track.digest, "state": track.phase(at: now).rawValue, "sequence": String(notice.sequence)]
        if let step = notice.step { fields["step"] = step }
        if let deadline { fields["deadline"] = deadline }
        if let remote { fields["repository"] = remote }
        fields["due"] = RFC3339.format(notice.due)
        self.fields = fields
    }
}
