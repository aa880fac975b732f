import Foundation
import GitKit

/// One agreement as of a commit: its current content and the state its valid events derive.
///
/// A value type over one shared object (copy on write): the ledger copies tracks at every fork of history and every
/// lookup, and a copy then retains one object instead of every string, array and dictionary the track holds.
public struct AgreementTrack: Sendable {
    /// The agreement id.
    public var id: String { storage.id }
    /// Tree of `agreements/<id>/`, nil when the folder was removed.
    public var treeID: ObjectID? { storage.treeID }
    /// Content digest of the folder (spec section 5).
    public var digest: String { storage.digest }
    /// The parsed `agreement.yml`, or why it is invalid.
    public var spec: Result<AgreementSpec, SchemaError> { storage.spec }
    /// Valid events in walk order.
    public var events: [RecordedEvent] { storage.events }

    /// Derived: draft, in progress, completed, declined, voided, invalid (expiry is judged with a time).
    public var phase: AgreementPhase { storage.derived.phase }
    /// Derived: the send that opened the current round.
    public var sent: RecordedEvent? { storage.derived.sent }
    /// Derived: identities that made the current revision.
    public var authors: Set<String> { storage.derived.authors }
    /// Derived: the first draft event.
    public var created: RecordedEvent? { storage.derived.created }
    /// Derived: fills per step name in the current round.
    public var fills: [String: [SlotFill]] { storage.derived.fills }
    /// Derived: approvals of an earlier digest or round, which no longer count.
    public var stale: [RecordedEvent] { storage.derived.stale }
    /// Derived: approvals that found no free slot (a quorum met on another branch).
    public var extra: [RecordedEvent] { storage.derived.extra }
    /// Derived: the decline that ended the round.
    public var declined: RecordedEvent? { storage.derived.declined }
    /// Derived: the void.
    public var voided: RecordedEvent? { storage.derived.voided }
    /// Derived: the approval that completed the agreement.
    public var completed: RecordedEvent? { storage.derived.completed }
    /// Derived: live delegations of the current round, by step name, then by the delegating recipient.
    public var delegations: [String: [String: RecordedEvent]] { storage.derived.delegations }
    /// Derived: notices recorded in the current round, with how many times each was sent.
    public var notices: [NoticeKey: Int] { storage.derived.notices }
    /// Derived: when each step of the current round became the current step.
    public var stepStarts: [String: Date] { storage.derived.stepStarts }

    /// Every field. Invariant that makes it Sendable: it is changed only through `unique`, which copies it first
    /// unless this track holds the only reference, so an object two tracks (or two threads) share never changes.
    private final class Storage: @unchecked Sendable {
        let id: String
        var treeID: ObjectID?
        var digest: String
        var spec: Result<AgreementSpec, SchemaError>
        var events: [RecordedEvent] = []
        var derived = Derived()

        init(id: String, treeID: ObjectID?, digest: String, spec: Result<AgreementSpec, SchemaError>) {
            self.id = id
            self.treeID = treeID
            self.digest = digest
            self.spec = spec
        }

        func copy() -> Storage {
            let other = Storage(id: id, treeID: treeID, digest: digest, spec: spec)
            other.events = events
            other.derived = derived
            return other
        }
    }
    private var storage: Storage

    /// The storage, copied first when shared. Use it for each change (`unique.events.append(…)`): a reference kept
    /// in a local would make the next check see a second owner and copy again.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// A track for content seen for the first time.
    init(id: String, treeID: ObjectID?, digest: String, spec: Result<AgreementSpec, SchemaError>) {
        storage = Storage(id: id, treeID: treeID, digest: digest, spec: spec)
    }

    /// Adds a valid event and recomputes the state.
    mutating func record(_ event: RecordedEvent) {
        unique.events.append(event)
        derive()
    }

    /// Unions the events of another copy of this agreement (a merge) and recomputes.
    mutating func merge(_ other: AgreementTrack) {
        let known = Set(events.map(\.commit))
        let added = other.events.filter { !known.contains($0.commit) }
        guard !added.isEmpty else { return }
        unique.events = (events + added).sorted { $0.order < $1.order }
        derive()
    }

    /// Removes the events of `commits` (a key was revoked or left the policy); returns what was removed.
    mutating func remove(_ commits: Set<ObjectID>) -> [RecordedEvent] {
        let removed = events.filter { commits.contains($0.commit) }
        guard !removed.isEmpty else { return [] }
        unique.events.removeAll { commits.contains($0.commit) }
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
        unique.treeID = treeID
        unique.digest = digest
        unique.spec = spec
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
        var value = Derived()
        value.replay(events, workflow: workflow, specIsValid: (try? spec.get()) != nil, digest: digest)
        unique.derived = value
    }

    /// The content digest at completion differs from the current content (a violation happened).
    public var contentChangedAfterCompletion: Bool {
        phase == .completed && sent?.digest != digest
    }
}

// The state snapshot (StateStore) stores tracks in binary: every event once, the derived fields as positions in
// `events`, so a loaded track needs no recomputation and no copy of any event.
extension AgreementTrack {
    /// Writes every field; throws when a derived event is not one of `events` (then no snapshot is written).
    func write(to w: inout BinaryWriter) throws {
        // Derived fields point at the objects of `events` (replayed from them, or read back as positions in them).
        let events = self.events
        var positions: [ObjectIdentifier: Int] = [:]
        for (index, event) in events.enumerated() { positions[ObjectIdentifier(event)] = index }
        func position(_ event: RecordedEvent) throws -> Int {
            guard let index = positions[ObjectIdentifier(event)] ?? events.firstIndex(of: event) else { throw BinaryReader.Malformed() }
            return index
        }
        func optionalPosition(_ event: RecordedEvent?) throws {
            w.bool(event != nil)
            if let event { w.count(try position(event)) }
        }
        w.string(id)
        w.optional(treeID) { $0.id($1) }
        w.string(digest)
        switch spec {
        case .success(let parsed):
            w.bool(true)
            parsed.write(to: &w)
        case .failure(let error):
            w.bool(false)
            error.write(to: &w)
        }
        w.array(events) { $1.write(to: &$0) }
        w.string(phase.rawValue)
        for event in [sent, created, declined, voided, completed] { try optionalPosition(event) }
        w.count(stale.count)
        for event in stale { w.count(try position(event)) }
        w.count(extra.count)
        for event in extra { w.count(try position(event)) }
        w.array(authors) { $0.string($1) }
        w.count(fills.count)
        for (step, list) in fills {
            w.string(step)
            w.count(list.count)
            for fill in list {
                w.int(fill.slot)
                w.count(try position(fill.event))
            }
        }
        w.count(delegations.count)
        for (step, byRecipient) in delegations {
            w.string(step)
            w.count(byRecipient.count)
            for (recipient, event) in byRecipient {
                w.string(recipient)
                w.count(try position(event))
            }
        }
        w.array(notices) { w, notice in
            notice.key.write(to: &w)
            w.int(notice.value)
        }
        w.array(stepStarts) { w, start in
            w.string(start.key)
            w.date(start.value)
        }
    }

    /// Reads what `write(to:)` wrote.
    init(reading r: inout BinaryReader) throws {
        let id = try r.string()
        let treeID = try r.optional { try $0.id() }
        let digest = try r.string()
        let spec: Result<AgreementSpec, SchemaError> = try r.bool() ? .success(try AgreementSpec(reading: &r)) : .failure(try SchemaError(reading: &r))
        let storage = Storage(id: id, treeID: treeID, digest: digest, spec: spec)
        let events = try r.array { try RecordedEvent(reading: &$0) }
        storage.events = events
        func event(_ r: inout BinaryReader) throws -> RecordedEvent {
            let index = try r.count()
            guard index < events.count else { throw BinaryReader.Malformed() }
            return events[index]
        }
        var d = Derived()
        guard let phase = AgreementPhase(rawValue: try r.string()) else { throw BinaryReader.Malformed() }
        d.phase = phase
        d.sent = try r.optional(event)
        d.created = try r.optional(event)
        d.declined = try r.optional(event)
        d.voided = try r.optional(event)
        d.completed = try r.optional(event)
        d.stale = try r.array(event)
        d.extra = try r.array(event)
        d.authors = Set(try r.array { try $0.string() })
        for _ in 0..<(try r.count()) {
            let step = try r.string()
            d.fills[step] = try r.array { SlotFill(slot: try $0.int(), event: try event(&$0)) }
        }
        for _ in 0..<(try r.count()) {
            let step = try r.string()
            var byRecipient: [String: RecordedEvent] = [:]
            for _ in 0..<(try r.count()) { byRecipient[try r.string()] = try event(&r) }
            d.delegations[step] = byRecipient
        }
        for _ in 0..<(try r.count()) { d.notices[try NoticeKey(reading: &r)] = try r.int() }
        for _ in 0..<(try r.count()) { d.stepStarts[try r.string()] = try r.date() }
        storage.derived = d
        self.storage = storage
    }
}
