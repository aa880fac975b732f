import Foundation
import GitKit
import Testing
@testable import SigitCore

/// The binary state snapshot (`.git/sigit/cache/state-v2`) gives back exactly the state it was given, and nothing
/// when its bytes are not the ones it wrote.
@Suite("state snapshot")
struct StateSnapshotTests {
    /// Every field an agreement.yml can set; the title carries a decomposed "é" (e + U+0301), which must come back as
    /// the same bytes (Swift's String equality would call the composed form equal).
    static let yaml = """
        title: "Supply agreement: cafe\u{301} & <b>"
        documents: [contract.md, annex/a.pdf]
        workflow:
          - step: legal
            approvers: [role:legal]
          - step: signatures
            approvers: [bob, carol]
            require: 1
            delegation: true
            allow-author: true
            humans-only: false
        cc: [dave]
        reminders: {first: 2d, every: 1d, max: 4}
        escalation: {after: 5d, to: [role:legal]}
        expires: 30d
        expire-warn: 3d
        """

    static func id(_ n: Int) -> ObjectID {
        ObjectID(hex: String(format: "%040x", n))!
    }

    static func event(_ order: Int, _ kind: RecordedEvent.Kind, _ who: String, digest: String = "sha256:aa", step: String? = nil,
                      text: String = "", delegate: String? = nil, behalf: String? = nil, notice: NoticeKey? = nil, slot: Int? = nil) -> RecordedEvent {
        // Each agreement's events are numbered from a multiple of 10, its send (if any) at +2: later events are in its round.
        func eventID(_ n: Int) -> EventID { EventID(payload: Data("event \(n)".utf8)) }
        let round: EventID? = kind == .send ? eventID(order) : order % 10 > 2 ? eventID(order / 10 * 10 + 2) : nil
        return RecordedEvent(order: order, commit: id(1000 + order), eventID: eventID(order), round: round, kind: kind, identity: who, time: Date(timeIntervalSince1970: 1_700_000_000.25 + Double(order)),
                      digest: digest, step: step, text: text, keyBlob: Data("key of \(who)".utf8), delegate: delegate, onBehalfOf: behalf, notice: notice, slot: slot)
    }

    /// Agreements in every phase, with stale and extra approvals, a delegation, notices and an invalid agreement.yml.
    static func state() throws -> RepositoryState {
        let spec = try AgreementSpec(yaml: Data(yaml.utf8), file: "agreements/a/agreement.yml")
        var state = RepositoryState()
        state.root = id(1)
        state.policy = Policy(serial: 3, identities: [:], roles: ["legal": ["alice"]])
        state.policyCommit = id(2)
        state.policyDigest = "sha256:policy"

        var done = AgreementTrack(id: "done", treeID: id(10), digest: "sha256:aa", spec: .success(spec))
        done.record(event(1, .draft, "bob", text: "first draft"))
        done.record(event(2, .send, "bot"))
        done.record(event(3, .approve, "alice", digest: "sha256:old", step: "legal", slot: 0))  // stale: another digest
        done.record(event(4, .approve, "alice", step: "legal", text: "ok\nsecond line", slot: 0))
        done.record(event(5, .approve, "alice", step: "legal", slot: 0))  // extra: legal's quorum is met (another branch)
        done.record(event(6, .notify, "bot", notice: NoticeKey(recipient: "bob", kind: .request, step: "signatures", channel: "smtp")))
        done.record(event(7, .notify, "bot", notice: NoticeKey(recipient: "bob", kind: .request, step: "signatures", channel: "smtp")))
        done.record(event(8, .delegate, "bob", step: "signatures", delegate: "erin"))
        done.record(event(9, .approve, "erin", step: "signatures", behalf: "bob", slot: 0))

        var open = AgreementTrack(id: "open", treeID: id(11), digest: "sha256:aa", spec: .success(spec))
        open.record(event(11, .draft, "bob"))
        open.record(event(12, .send, "bot"))
        open.record(event(13, .approve, "alice", step: "legal", slot: 0))
        // Comments: a thread on a line, a reply and a resolve; a general comment (no anchor, no text).
        let root = event(14, .comment, "carol", text: "line 3 is wrong")
        open.record(RecordedEvent(order: root.order, commit: root.commit, eventID: root.eventID, round: root.round, kind: .comment, identity: "carol",
                                  time: root.time, digest: root.digest, step: nil, text: root.text, keyBlob: root.keyBlob,
                                  comment: RecordedEvent.Comment(file: "annex/a.pdf", line: 3, thread: nil, resolves: false)))
        for (order, who, resolves) in [(15, "bob", false), (16, "bot", true)] {
            let base = event(order, .comment, who, text: resolves ? "" : "agreed")
            open.record(RecordedEvent(order: order, commit: base.commit, eventID: base.eventID, round: base.round, kind: .comment, identity: who, time: base.time,
                                      digest: base.digest, step: nil, text: base.text, keyBlob: base.keyBlob,
                                      comment: RecordedEvent.Comment(file: nil, line: nil, thread: root.eventID, resolves: resolves)))
        }
        let general = event(17, .comment, "dave")
        open.record(RecordedEvent(order: 17, commit: general.commit, eventID: general.eventID, round: general.round, kind: .comment, identity: "dave", time: general.time,
                                  digest: general.digest, step: nil, text: "", keyBlob: general.keyBlob,
                                  comment: RecordedEvent.Comment(file: nil, line: nil, thread: nil, resolves: false)))

        var declined = AgreementTrack(id: "declined", treeID: id(12), digest: "sha256:aa", spec: .success(spec))
        declined.record(event(21, .draft, "bob"))
        declined.record(event(22, .send, "bot"))
        declined.record(event(23, .decline, "alice", step: "legal", text: "no"))

        var voided = AgreementTrack(id: "voided", treeID: nil, digest: "sha256:aa", spec: .success(spec))
        voided.record(event(31, .draft, "bob"))
        voided.record(event(32, .void, "alice", text: "withdrawn"))

        var invalid = AgreementTrack(id: "invalid", treeID: id(13), digest: "sha256:bb",
                                     spec: .failure(SchemaError(file: "agreements/invalid/agreement.yml", line: 3, reason: "bad")))
        invalid.record(event(41, .draft, "bob"))

        for track in [done, open, declined, voided, invalid] { state.agreements[track.id] = track }
        #expect(done.phase == .completed && done.stale.count == 1 && done.extra.count == 1 && done.notices.values.first == 2)
        #expect(CommentThread.threads(of: open).count == 2 && CommentThread.openCount(of: open) == 1 && open.fills["legal"]?.count == 1)
        #expect(open.phase == .inProgress && declined.phase == .declined && voided.phase == .voided && invalid.phase == .invalid)
        return state
    }

    static func expectSame(_ a: AgreementTrack, _ b: AgreementTrack) {
        #expect(a.id == b.id && a.treeID == b.treeID && a.digest == b.digest)
        #expect(a.spec == b.spec)
        #expect(Array(((try? a.spec.get())?.title ?? "").utf8) == Array(((try? b.spec.get())?.title ?? "").utf8))
        #expect(a.events == b.events)
        #expect(a.events.map(\.comment) == b.events.map(\.comment))
        #expect(a.events.map { Array($0.text.utf8) } == b.events.map { Array($0.text.utf8) })
        #expect(a.phase == b.phase && a.sent == b.sent && a.created == b.created && a.authors == b.authors)
        #expect(a.fills == b.fills && a.stale == b.stale && a.extra == b.extra)
        #expect(a.declined == b.declined && a.voided == b.voided && a.completed == b.completed)
        #expect(a.delegations == b.delegations && a.notices == b.notices && a.stepStarts == b.stepStarts)
    }

    func store() throws -> (StateStore, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sigit-snapshot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (StateStore(gitDir: dir), dir)
    }

    @Test("what is loaded is exactly what was saved, every derived field included")
    func roundTrip() throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = try Self.state()
        store.save(StateSnapshot(tip: Self.id(99), orderEnd: 42, state: state))
        let loaded = try #require(store.load())
        #expect(loaded.tip == Self.id(99) && loaded.orderEnd == 42)
        #expect(loaded.state.root == state.root && loaded.state.policy == state.policy && loaded.state.policyCommit == state.policyCommit)
        #expect(loaded.state.policyDigest == state.policyDigest)
        #expect(Set(loaded.state.agreements.keys) == Set(state.agreements.keys))
        for id in state.agreements.keys {
            let mine = try #require(state.agreements[id])
            let theirs = try #require(loaded.state.agreements[id])
            Self.expectSame(mine, theirs)
        }
        #expect(loaded.state.agreements.touched.isEmpty, "a loaded state has changed nothing yet")
    }

    @Test("a changed, truncated or moved snapshot is not loaded", arguments: ["flip", "truncate", "extend", "moved"])
    func damaged(_ how: String) throws {
        let (store, dir) = try store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        store.save(StateSnapshot(tip: Self.id(99), orderEnd: 42, state: try Self.state()))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        switch how {
        case "flip": bytes[bytes.count - 3] ^= 0x01
        case "truncate": bytes = bytes.prefix(bytes.count - 1)
        case "extend": bytes.append(0)
        default:
            // The same file in another git directory: the checksum binds the path.
            let (other, otherDir) = try self.store()
            defer { try? FileManager.default.removeItem(atPath: otherDir) }
            try FileManager.default.createDirectory(atPath: (other.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try bytes.write(to: URL(fileURLWithPath: other.path))
            #expect(other.load() == nil)
            return
        }
        try bytes.write(to: URL(fileURLWithPath: store.path))
        #expect(store.load() == nil)
    }

    @Test("the reader refuses bytes it did not write instead of trapping: counts beyond the data, bad references, short ids")
    func readerRefusesGarbage() {
        for bytes: [UInt8] in [[], [0xFF], [0x80, 0x80], [5], [0, 10, 0x61], [3], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]] {
            var reader = BinaryReader(bytes)
            #expect(throws: BinaryReader.Malformed.self) { _ = try AgreementTrack(reading: &reader) }
        }
        var reader = BinaryReader([1, 2, 3])
        #expect(throws: BinaryReader.Malformed.self) { _ = try reader.id() }
        reader = BinaryReader([7])  // a string reference with nothing interned yet
        #expect(throws: BinaryReader.Malformed.self) { _ = try reader.string() }
    }
}
