import Foundation
import GitKit

/// One agreement as of a commit: its current content and the state its valid events derive.
public struct AgreementTrack: Sendable {
    /// The agreement id.
    public let id: String
    /// Tree of `agreements/<id>/`, nil when the folder was removed.
    public var treeID: ObjectID?
    /// Content digest of the folder (spec section 5).
    public var digest: String
    /// The parsed `agreement.yml`, or why it is invalid.
    public var spec: Result<AgreementSpec, SchemaError>
    /// Valid events in walk order.
    public private(set) var events: [RecordedEvent] = []

    /// Derived: draft, in progress, completed, declined, voided, invalid (expiry is judged with a time).
    public private(set) var phase: AgreementPhase = .draft
    /// Derived: the send that opened the current round.
    public private(set) var sent: RecordedEvent?
    /// Derived: identities that made the current revision.
    public private(set) var authors: Set<String> = []
    /// Derived: the first draft event.
    public private(set) var created: RecordedEvent?
    /// Derived: fills per step name in the current round.
    public private(set) var fills: [String: [SlotFill]] = [:]
    /// Derived: approvals of an earlier digest or round, which no longer count.
    public private(set) var stale: [RecordedEvent] = []
    /// Derived: approvals that found no free slot (a quorum met on another branch).
    public private(set) var extra: [RecordedEvent] = []
    /// Derived: the decline that ended the round.
    public private(set) var declined: RecordedEvent?
    /// Derived: the void.
    public private(set) var voided: RecordedEvent?
    /// Derived: the approval that completed the agreement.
    public private(set) var completed: RecordedEvent?
    /// Derived: live delegations of the current round, by step name, then by the delegating recipient.
    public private(set) var delegations: [String: [String: RecordedEvent]] = [:]
    /// Derived: notices recorded in the current round, with how many times each was sent.
    public private(set) var notices: [NoticeKey: Int] = [:]
    /// Derived: when each step of the current round became the current step.
    public private(set) var stepStarts: [String: Date] = [:]
    /// Derived: slot index per approval commit, fixed when it was validated.
    var slotOf: [ObjectID: Int] = [:]

    /// A track for content seen for the first time.
    init(id: String, treeID: ObjectID?, digest: String, spec: Result<AgreementSpec, SchemaError>) {
        self.id = id
        self.treeID = treeID
        self.digest = digest
        self.spec = spec
    }

    /// Adds a valid event and recomputes the state.
    mutating func record(_ event: RecordedEvent, slot: Int? = nil) {
        if let slot { slotOf[event.commit] = slot }
        events.append(event)
        derive()
    }

    /// Unions the events of another copy of this agreement (a merge) and recomputes.
    mutating func merge(_ other: AgreementTrack) {
        let known = Set(events.map(\.commit))
        let added = other.events.filter { !known.contains($0.commit) }
        guard !added.isEmpty else { return }
        events = (events + added).sorted { $0.order < $1.order }
        slotOf.merge(other.slotOf) { mine, _ in mine }
        derive()
    }

    /// Removes the events of `commits` (a key was revoked or left the policy); returns what was removed.
    mutating func remove(_ commits: Set<ObjectID>) -> [RecordedEvent] {
        let removed = events.filter { commits.contains($0.commit) }
        guard !removed.isEmpty else { return [] }
        events.removeAll { commits.contains($0.commit) }
        derive()
        return removed
    }

    /// Events signed by the key with this blob.
    func events(signedBy blob: Data) -> [RecordedEvent] {
        events.filter { $0.keyBlob == blob }
    }

    /// The live delegation of `step` held by `identity` (as the delegate), if any.
    public func delegation(of step: String, heldBy identity: String) -> RecordedEvent? {
        delegations[step]?.values.filter { $0.delegate == identity }.min { $0.order < $1.order }
    }

    /// Sets the content as of the current commit and recomputes.
    mutating func setContent(treeID: ObjectID?, digest: String, spec: Result<AgreementSpec, SchemaError>) {
        self.treeID = treeID
        self.digest = digest
        self.spec = spec
        derive()
    }

    /// The workflow, when `agreement.yml` is valid.
    public var workflow: [Step] { (try? spec.get())?.workflow ?? [] }

    /// The first step whose quorum is not met in the current round; nil when all are.
    public var currentStep: Step? {
        workflow.first { (fills[$0.name]?.count ?? 0) < $0.needed }
    }

    /// The deadline of the current round, when the agreement expires.
    public var deadline: Date? {
        guard let sent, let expires = (try? spec.get())?.expires else { return nil }
        return sent.time.addingTimeInterval(TimeInterval(expires.seconds))
    }

    /// The phase as of `time`: an in-progress agreement past its deadline is expired.
    public func phase(at time: Date) -> AgreementPhase {
        if phase == .inProgress, let deadline, time > deadline { return .expired }
        return phase
    }

    private mutating func derive() {
        phase = .draft
        sent = nil
        authors = []
        created = nil
        fills = [:]
        stale = []
        extra = []
        declined = nil
        voided = nil
        completed = nil
        delegations = [:]
        notices = [:]
        stepStarts = [:]
        var sentSinceDraft = false
        for event in events {
            switch event.kind {
            case .draft:
                if created == nil { created = event }
                if sentSinceDraft || phase != .draft { authors = [] }
                authors.insert(event.identity)
                stale += fills.values.flatMap { $0.map(\.event) }
                fills = [:]
                delegations = [:]
                notices = [:]
                stepStarts = [:]
                sent = nil
                declined = nil
                sentSinceDraft = false
                phase = .draft
            case .send:
                stale += fills.values.flatMap { $0.map(\.event) }
                fills = [:]
                delegations = [:]
                notices = [:]
                declined = nil
                sent = event
                stepStarts = workflow.first.map { [$0.name: event.time] } ?? [:]
                sentSinceDraft = true
                phase = .inProgress
            case .approve:
                guard phase == .inProgress, event.digest == sent?.digest, let stepName = event.step,
                      let step = workflow.first(where: { $0.name == stepName }) else {
                    stale.append(event)
                    continue
                }
                var stepFills = fills[stepName] ?? []
                let slot = slotOf[event.commit] ?? -1
                // An approval for someone else counts only while the delegation it rests on still counts.
                if let behalf = event.onBehalfOf, delegations[stepName]?[behalf]?.delegate != event.identity {
                    stale.append(event)
                    continue
                }
                let acting = Set([event.identity, event.onBehalfOf].compactMap { $0 })
                if stepFills.count >= step.needed || slot < 0 || stepFills.contains(where: { fill in
                    fill.slot == slot || !acting.isDisjoint(with: [fill.event.identity, fill.event.onBehalfOf].compactMap { $0 })
                }) {
                    extra.append(event)
                    continue
                }
                stepFills.append(SlotFill(slot: slot, event: event))
                fills[stepName] = stepFills
                if let next = currentStep, stepStarts[next.name] == nil { stepStarts[next.name] = event.time }
                if currentStep == nil {
                    phase = .completed
                    completed = event
                }
            case .decline:
                if phase == .inProgress, event.digest == sent?.digest {
                    phase = .declined
                    declined = event
                } else {
                    stale.append(event)
                }
            case .void:
                phase = .voided
                voided = event
            case .delegate:
                // Replayed with the rules of judgeDelegate that a merge can break: once per recipient and step, one
                // delegation per delegate, no delegation by a delegate (the earlier event in walk order wins).
                guard phase == .inProgress, let stepName = event.step, let to = event.delegate else { continue }
                let live = delegations[stepName] ?? [:]
                guard live[event.identity] == nil, !live.values.contains(where: { $0.delegate == to || $0.delegate == event.identity }) else { continue }
                delegations[stepName, default: [:]][event.identity] = event
            case .notify:
                if let key = event.notice { notices[key, default: 0] += 1 }
            }
        }
        if case .failure = spec, phase != .voided { phase = .invalid }
        if phase == .inProgress || phase == .declined, sent?.digest != digest {
            // The content changed without a valid draft (a clean merge of two revisions, or a violation): back to draft.
            stale += fills.values.flatMap { $0.map(\.event) }
            fills = [:]
            phase = .draft
        }
    }

    /// The content digest at completion differs from the current content (a violation happened).
    public var contentChangedAfterCompletion: Bool {
        phase == .completed && sent?.digest != digest
    }
}

extension AgreementTrack: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, treeID, digest, spec, specError, events, phase, sent, authors, created, fills, stale, extra, declined, voided
        case completed, delegations, notices, stepStarts, slotOf
    }

    /// Every field, derived ones included, so a loaded track needs no recomputation.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(treeID, forKey: .treeID)
        try c.encode(digest, forKey: .digest)
        switch spec {
        case .success(let parsed): try c.encode(parsed, forKey: .spec)
        case .failure(let error): try c.encode(error, forKey: .specError)
        }
        try c.encode(events, forKey: .events)
        try c.encode(phase, forKey: .phase)
        try c.encodeIfPresent(sent, forKey: .sent)
        try c.encode(authors, forKey: .authors)
        try c.encodeIfPresent(created, forKey: .created)
        try c.encode(fills, forKey: .fills)
        try c.encode(stale, forKey: .stale)
        try c.encode(extra, forKey: .extra)
        try c.encodeIfPresent(declined, forKey: .declined)
        try c.encodeIfPresent(voided, forKey: .voided)
        try c.encodeIfPresent(completed, forKey: .completed)
        try c.encode(delegations, forKey: .delegations)
        try c.encode(notices, forKey: .notices)
        try c.encode(stepStarts, forKey: .stepStarts)
        try c.encode(slotOf, forKey: .slotOf)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        treeID = try c.decodeIfPresent(ObjectID.self, forKey: .treeID)
        digest = try c.decode(String.self, forKey: .digest)
        if let parsed = try c.decodeIfPresent(AgreementSpec.self, forKey: .spec) {
            spec = .success(parsed)
        } else {
            spec = .failure(try c.decode(SchemaError.self, forKey: .specError))
        }
        events = try c.decode([RecordedEvent].self, forKey: .events)
        phase = try c.decode(AgreementPhase.self, forKey: .phase)
        sent = try c.decodeIfPresent(RecordedEvent.self, forKey: .sent)
        authors = try c.decode(Set<String>.self, forKey: .authors)
        created = try c.decodeIfPresent(RecordedEvent.self, forKey: .created)
        fills = try c.decode([String: [SlotFill]].self, forKey: .fills)
        stale = try c.decode([RecordedEvent].self, forKey: .stale)
        extra = try c.decode([RecordedEvent].self, forKey: .extra)
        declined = try c.decodeIfPresent(RecordedEvent.self, forKey: .declined)
        voided = try c.decodeIfPresent(RecordedEvent.self, forKey: .voided)
        completed = try c.decodeIfPresent(RecordedEvent.self, forKey: .completed)
        delegations = try c.decode([String: [String: RecordedEvent]].self, forKey: .delegations)
        notices = try c.decode([NoticeKey: Int].self, forKey: .notices)
        stepStarts = try c.decode([String: Date].self, forKey: .stepStarts)
        slotOf = try c.decode([ObjectID: Int].self, forKey: .slotOf)
    }
}
