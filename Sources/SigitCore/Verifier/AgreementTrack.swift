import Foundation
import GitKit

/// One agreement as of a commit: its current content and the state its valid events derive.
///
/// A value type over one shared object (copy on write): the ledger copies tracks at every fork of history and every
/// lookup, and a copy then retains one object instead of every string, array and dictionary the track holds.
public struct AgreementTrack: Sendable {
    /// The agreement id.
    public var id: String { storage.id }
    /// Tree of `agreements/<id>/` in the commit's tree, nil when there is no such folder. This is what is there,
    /// which after a violation is not what the state counts (see `tamperedAt`).
    public var treeID: ObjectID? { storage.treeID }
    /// Content digest (spec section 5) of the content the state counts: the last content a valid event (or a clean
    /// merge) set. After a violation changed the files, the tree holds other content (`tamperedAt`).
    public var digest: String { storage.digest }
    /// The parsed `agreement.yml` of the content the state counts, or why it is invalid.
    public var spec: Result<AgreementSpec, SchemaError> { storage.spec }
    /// The commit since which the files in the tree differ from the content the state counts, because a violation
    /// changed them (an unsigned or unauthorized edit, an edit after completion, a merge that smuggled content, a
    /// malformed object); nil when they match. A violation never moves state (spec section 4): the agreement keeps
    /// the state it had, and status, `--check`, seals and certificates say it was tampered with.
    public var tamperedAt: ObjectID? { storage.tamperedAt }
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
    /// Derived: the event that began the current revision or round (draft, send, or a join marker).
    var epoch: RecordedEvent? { storage.derived.epoch }
    /// Derived: the commit at which the agreement became completed (an approval, or the merge that joined the
    /// fills that complete it); the commit a seal and a certificate name.
    public var completedAt: ObjectID? { storage.derived.completedAt }

    /// Every field. Invariant that makes it Sendable: it is changed only through `unique`, which copies it first
    /// unless this track holds the only reference, so an object two tracks (or two threads) share never changes.
    private final class Storage: @unchecked Sendable {
        let id: String
        var treeID: ObjectID?
        var digest: String
        var spec: Result<AgreementSpec, SchemaError>
        var tamperedAt: ObjectID?
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
            other.tamperedAt = tamperedAt
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

    /// What a join at a merge found.
    struct JoinOutcome {
        /// Events of the other side that are copies (same signed payload, another commit id) of events this side
        /// already holds: each counts once, and the copy is a `replay` violation.
        var replays: [RecordedEvent] = []
        /// Both sides began their own revision or round since they parted: the agreement is back in draft.
        var parallel = false
    }

    /// Joins another side's copy of this agreement into this one (this side is the merge's first parent), per
    /// spec section 4, *Joining at merges*: events are never judged again, only combined. When both sides are in
    /// the same round its fills are unioned (this side's first; an identity fills one slot, a slot is filled once);
    /// when one side's round or revision descends from the other's, the newer one wins and the older side's fills
    /// count for nothing in it; when each began its own, the agreement is back in draft. A void on either side is
    /// final; a decline of the round on either side ends it. `isAncestor(a, b)` says whether commit a is b or an
    /// ancestor of it.
    mutating func join(_ other: AgreementTrack, merge: ObjectID, order: Int, isAncestor: (ObjectID, ObjectID) throws -> Bool) rethrows -> JoinOutcome {
        var outcome = JoinOutcome()
        guard storage !== other.storage else { return outcome }
        var mine: [EventID: ObjectID] = [:]
        for event in events where mine[event.eventID] == nil { mine[event.eventID] = event.commit }
        let mineBefore = mine
        var added: [RecordedEvent] = []
        for event in other.events {
            if let known = mine[event.eventID] {
                if known != event.commit { outcome.replays.append(event) }
            } else {
                added.append(event)
                mine[event.eventID] = event.commit
            }
        }
        // Epochs are compared as events: a copy of an event this side holds stands for this side's own commit.
        let a = epoch.map { (id: $0.eventID, commit: $0.commit) }
        let b = other.epoch.map { (id: $0.eventID, commit: mineBefore[$0.eventID] ?? $0.commit) }
        var otherNewer = false
        if a?.id != b?.id {
            if let b, try a.map({ try isAncestor($0.commit, b.commit) }) ?? true {
                otherNewer = true
            } else if let a, try b.map({ try isAncestor($0.commit, a.commit) }) ?? true {
                otherNewer = false
            } else {
                outcome.parallel = true
            }
        }
        let startsRound: (RecordedEvent) -> Bool = { [.draft, .send, .rejoin].contains($0.kind) }
        // Only the newer side's revision and round are replayed; the older side brings its other events (a void
        // stays final; approvals of an older round count for nothing).
        var joined = events + (otherNewer ? added : added.filter { !startsRound($0) })
        let wasCompleted = phase == .completed || other.phase == .completed
        if outcome.parallel {
            let authors = (self.authors.union(other.authors)).sorted().joined(separator: "\n")
            joined.append(RecordedEvent(order: order, commit: merge, eventID: EventID(marker: "rejoin", commit: merge.hex), round: nil, kind: .rejoin,
                                        identity: "", time: epoch?.time ?? Date(timeIntervalSince1970: 0), digest: digest, step: nil, text: authors))
        }
        if added.isEmpty && !outcome.parallel { return outcome }
        if otherNewer {
            unique.digest = other.digest
            unique.spec = other.spec
            unique.tamperedAt = other.tamperedAt
        } else if tamperedAt == nil, a?.id == b?.id {
            // Same revision on both sides: tampering on the other side is tampering of this content too (the
            // ledger then compares the merged files with it). A newer revision here supersedes it.
            unique.tamperedAt = other.tamperedAt
        }
        unique.events = joined
        derive()
        if phase == .completed, !wasCompleted {
            // The fills of both sides complete it together: the merge is the commit that completed it.
            unique.events.append(RecordedEvent(order: order, commit: merge, eventID: EventID(marker: "completed", commit: merge.hex), round: sent?.eventID,
                                               kind: .joinCompleted, identity: "", time: completed?.time ?? Date(timeIntervalSince1970: 0), digest: digest,
                                               step: nil, text: ""))
            derive()
        }
        return outcome
    }

    /// Removes the events of `commits` (a key was revoked or left the policy); returns what was removed.
    /// When a removed event had set the content the state counts (a revision by a key that left), the files in the
    /// tree are no longer that content: the agreement is tampered since `commit`, and counts the content of the
    /// revision or round that remains.
    mutating func remove(_ commits: Set<ObjectID>, at commit: ObjectID) -> [RecordedEvent] {
        let removed = events.filter { commits.contains($0.commit) }
        guard !removed.isEmpty else { return [] }
        unique.events.removeAll { commits.contains($0.commit) }
        derive()
        if let epoch, epoch.kind != .rejoin, epoch.digest != digest {
            unique.digest = epoch.digest
            unique.tamperedAt = tamperedAt ?? commit
        }
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

    /// Sets the content the state counts as of the current commit (a valid draft, a clean merge) and recomputes.
    mutating func setContent(treeID: ObjectID?, digest: String, spec: Result<AgreementSpec, SchemaError>) {
        unique.treeID = treeID
        unique.digest = digest
        unique.spec = spec
        unique.tamperedAt = nil
        derive()
    }

    /// Records the folder's tree after a change that does not count (a violation): the state stays, and the
    /// agreement is marked tampered since `commit` unless `matches` (the files are again what the state counts).
    mutating func setTree(_ treeID: ObjectID?, matches: Bool, at commit: ObjectID) {
        unique.treeID = treeID
        unique.tamperedAt = matches ? nil : (tamperedAt ?? commit)
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
        value.replay(events, workflow: workflow, specIsValid: (try? spec.get()) != nil)
        unique.derived = value
    }

    /// The files in the tree are not the content the state counts (a violation changed them).
    public var isTampered: Bool { tamperedAt != nil }
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
        w.optional(tamperedAt) { $0.id($1) }
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
        for event in [sent, created, declined, voided, completed, epoch] { try optionalPosition(event) }
        w.optional(completedAt) { $0.id($1) }
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
        let tamperedAt = try r.optional { try $0.id() }
        let spec: Result<AgreementSpec, SchemaError> = try r.bool() ? .success(try AgreementSpec(reading: &r)) : .failure(try SchemaError(reading: &r))
        let storage = Storage(id: id, treeID: treeID, digest: digest, spec: spec)
        storage.tamperedAt = tamperedAt
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
        d.epoch = try r.optional(event)
        d.completedAt = try r.optional { try $0.id() }
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
