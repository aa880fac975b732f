import Foundation
import GitKit

extension Certificate {
    /// Builds the certificate of agreement `id` from a verified walk up to `commit`.
    ///
    /// Everything comes from history: the documents from the tree at `commit`, the events and their effect from the
    /// ledger, identity details from the policy in force at each event's parents (spec section 4, *Who someone was*:
    /// a later policy that renames an identity or gives its name to someone else changes nothing here). Nothing is read
    /// from the working tree.
    public static func build(id: String, result: Ledger.Result, commit: ObjectID, repo: Repository, now: Date, generator: String) throws -> Certificate {
        let state = result.state
        guard let policy = state.policy, let root = state.root else {
            throw SigitError.repository("this is not a sigit repository (no policy in force); nothing to certify")
        }
        guard let track = state.agreements[id], let tree = track.treeID else {
            throw SigitError.badInput("no agreement \(id) at \(commit.hex.prefix(12))")
        }
        if let tampered = track.tamperedAt {
            throw SigitError.notAllowed("the files of agreement \(id) were changed by a violation at \(tampered.hex.prefix(12)) and are not the content its state counts; no certificate is issued for them (sigit verify names the violation)")
        }
        let spec = try? track.spec.get()
        let listed = Set(spec?.documents ?? [])
        var documents: [Document] = []
        for entry in try repo.files(tree) {
            let bytes = try repo.blob(entry.id)
            documents.append(Document(path: entry.path, sha256: ContentDigest.sha256Hex(bytes), size: bytes.count,
                                      mode: String(entry.mode, radix: 8), listed: listed.contains(entry.path)))
        }
        documents.sort { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }

        let phase = track.phase(at: now)
        let since: RecordedEvent? = switch phase {
        case .completed: track.completed
        case .declined: track.declined
        case .voided: track.voided
        case .inProgress: track.sent
        default: track.events.last { $0.kind == .draft }
        }
        let agreement = AgreementPart(
            id: id, title: spec?.title ?? "", state: phase.rawValue,
            stateSince: phase == .expired ? track.deadline.map(RFC3339.format) : since.map { RFC3339.format($0.time) },
            stateCommit: phase == .expired ? nil : phase == .completed ? (track.completedAt ?? since?.commit)?.hex : since?.commit.hex, digest: track.digest, sentDigest: track.sent?.digest,
            documents: documents, expires: phase == .completed ? nil : track.deadline.map(RFC3339.format))

        let mine = result.entries.filter { $0.agreements.contains(id) && $0.action != "merge" }
        let commits = Set(mine.map(\.commit))
        let findings = result.findings.filter { commits.contains($0.commit) }
        // A notify event that records several notices of this agreement is one certificate event per notice.
        let events = mine.flatMap { entry in
            let groups = entry.trailers?.notices.filter { $0.agreement == id } ?? []
            let found = findings.filter { $0.commit == entry.commit }
            return groups.isEmpty ? [event(entry, track: track, findings: found)] : groups.map { event(entry, track: track, findings: found, notice: $0) }
        }
        let verdict = Verdict(
            ok: !result.findings.contains { $0.severity == .violation }, checked: result.checked,
            violations: result.findings.filter { $0.severity == .violation }.count,
            findings: findings.map { FindingPart(commit: $0.commit.hex, rule: $0.rule.rawValue, severity: $0.severity.rawValue, message: $0.message) })

        let people = persons(mine, current: policy, agreement: id)
        return Certificate(
            interim: phase != .completed, generated: RFC3339.format(now), generator: generator, agreement: agreement,
            repository: RepositoryPart(commit: commit.hex, trustRoot: root.hex),
            policy: PolicyPart(serial: policy.serial, threshold: policy.threshold, commit: state.policyCommit?.hex, digest: state.policyDigest),
            verdict: verdict, events: events, identities: people)
    }

    /// Everyone the entries name (the actor, on-behalf-of, delegate, notice recipient), each as the policy in force at
    /// the naming event's parents described them; one person per distinct version, sorted by id, then first mention.
    /// A notify event names only the recipients of its notices of `agreement`.
    static func persons(_ entries: [LogEntry], current policy: Policy, agreement: String) -> [Person] {
        var people: [Person] = []
        for entry in entries {
            let t = entry.trailers
            var named: [Identity] = entry.signer.map { [$0] } ?? []
            let recipients = t.map { $0.notices.isEmpty ? [$0.recipient].compactMap { $0 } : $0.notices.filter { $0.agreement == agreement }.map(\.recipient) } ?? []
            for name in [t?.onBehalfOf, t?.delegate].compactMap({ $0 }) + recipients {
                if let who = entry.policy?.identities[name] { named.append(who) }
            }
            for who in named {
                let now = policy.identities[who.id]
                let person = Person(id: who.id, name: who.name, email: who.email, kind: who.kind.rawValue, owner: who.owner,
                                    current: now.map { $0.name == who.name && $0.email == who.email && $0.kind == who.kind && $0.owner == who.owner } ?? false)
                if !people.contains(person) { people.append(person) }
            }
        }
        return people.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
    }

    /// One log entry as a certificate event, with what it does in the derived state.
    static func event(_ entry: LogEntry, track: AgreementTrack, findings: [Finding], notice group: NoticeGroup? = nil) -> Event {
        let t = entry.trailers
        let recorded = track.events.first { $0.commit == entry.commit }
        let effect: String
        if findings.contains(where: { $0.severity == .violation }) {
            effect = "violation"
        } else if entry.action == Action.enroll.rawValue || entry.action == Action.invite.rawValue {
            // Policy events about the agreement's invitee (spec section 9): they change who may sign, not the agreement.
            effect = "policy"
        } else if recorded == nil {
            effect = "dropped"
        } else if track.stale.contains(where: { $0.commit == entry.commit }) {
            effect = "stale"
        } else if track.extra.contains(where: { $0.commit == entry.commit }) {
            effect = "not-needed"
        } else if recorded?.kind == .comment {
            effect = "non-decisive"
        } else if track.fills.values.contains(where: { $0.contains { $0.event.commit == entry.commit } }) || track.declined?.commit == entry.commit {
            effect = "counted"
        } else {
            effect = "recorded"
        }
        let notice = group.map { Notice(recipient: $0.recipient, kind: $0.notice, channel: $0.channel) }
            ?? t.flatMap { t in t.recipient.map { Notice(recipient: $0, kind: t.notice ?? "", channel: t.channel ?? "") } }
        var comment: Comment?
        if let recorded, recorded.kind == .comment, let link = recorded.comment {
            let end = [track.completed, track.voided].compactMap { $0?.order }.min()
            comment = Comment(event: recorded.eventID.description, thread: (link.thread ?? recorded.eventID).description, file: link.file, line: link.line,
                              resolves: link.resolves, afterEnd: end.map { recorded.order > $0 } ?? false)
        }
        return Event(
            commit: entry.commit.hex, time: RFC3339.format(entry.time), action: entry.action, effect: effect, step: group.map(\.step) ?? entry.step,
            identity: entry.identity, name: entry.signer?.name, email: entry.signer?.email, kind: entry.signer?.kind.rawValue,
            owner: entry.signer?.owner, onBehalfOf: t?.onBehalfOf, delegate: t?.delegate, digest: t?.digest ?? (entry.action == "draft" ? recorded?.digest : nil),
            keyType: entry.keyType, fingerprint: entry.fingerprint, signature: entry.signature, subject: entry.subject, text: entry.body, notice: notice, comment: comment,
            violations: findings.filter { $0.severity == .violation }.map(\.rule.rawValue), trustedTime: TrustedTimeEvidence(entry))
    }
}
