import Foundation
import GitKit
@testable import SigitCore
import TestSupport

extension HistoryRunner {
    /// Section 8 steps: 0 the policy lists the fixture's CA (one time in three with `max-skew: 30m`), 1 bot gets
    /// `timestamp`, 2 a timestamp event (by bot when it may and the pick is even, else by the signer of a recent
    /// event over its own events; one pick in seven asks the TSA for a genTime 20 minutes before the event's committer
    /// time: a `clock-skew`), 3 bob's first key revoked as compromised since a time between recent events (when it
    /// already is, one pick in four moves the time earlier; even picks let bob sign with his second key from then on;
    /// two picks in three stamp bob's last unstamped events just before).
    func timestamping(_ step: Int, pick: Int, branch: Int, state s: ModelState) throws {
        switch step % 4 {
        case 0:
            guard branch == 0, onMainOnly else { return }
            _ = try proposePolicy(state: s) { doc in
                guard doc.authorities.isEmpty else { return nil }
                doc.authorities = [PolicyDocument.Authority(name: "test-tsa", pem: try Self.fixturePEM())]
                if pick % 3 == 0 { doc.maxSkewMinutes = 30 }
                return "list the test TSA" + (pick % 3 == 0 ? " (max-skew 30m)" : "")
            }
        case 1:
            guard branch == 0, onMainOnly else { return }
            _ = try proposePolicy(state: s) { doc in
                guard !doc.timestampers.contains("bot") else { return nil }
                doc.timestampers.append("bot")
                return "bot may timestamp"
            }
        case 2:
            try stamp(pick: pick, branch: branch, state: s)
        default:
            guard branch == 0, onMainOnly, Self.untouched(bob: s, key: bobFirstKey) || pick % 4 == 3 else { return }
            // Two picks in three, bob's last events without a token are stamped first (by bob, or by bot), so some
            // may keep counting: it depends on where the compromise time falls.
            let bobs = try unstamped(s).filter { $0.signed.keyBlob == bobFirstKey && $0.signed.agreement != nil }.suffix(2)
            var back = pick % 8
            if pick % 3 != 0, s.pending.isEmpty, Self.untouched(bob: s, key: bobFirstKey), s.policy?.timestamping != nil, !bobs.isEmpty {
                try writeStamps(Array(bobs), by: s.policy?.allows(.timestamp, "bot") == true && pick % 2 == 0 ? "bot" : "bob", branch: 0, label: " (before the compromise)")
                // Mostly a compromise time after those tokens (they keep their events), sometimes before them.
                if back < 6 { back = 0 }
            }
            var cursor = main
            for _ in 0..<back { cursor = try repo.parents(of: cursor).first ?? cursor }
            let since = try repo.commit(cursor).committer.time + 30
            if try compromiseBob(since: since, pick: pick, state: try model.state(at: main)), pick % 2 == 0 { writer.signingKey["bob"] = "bob#2" }
        }
    }

    /// The PEM of the fixture's CA A (the TSA `.rsa` chains to it).
    static func fixturePEM() throws -> String {
        try String(contentsOfFile: try TSAFixture.shared.get().file("caA.pem"), encoding: .utf8)
    }

    /// The blob of bob's first key (the one a thief steals).
    var bobFirstKey: Data { writer.cast.keys["bob"]?.publicKey.blob ?? Data() }

    /// The identity of the cast that holds the key with `blob`.
    func owner(_ blob: Data) -> String? {
        writer.cast.keys.first { $0.value.publicKey.blob == blob }.map { String($0.key.split(separator: "#")[0]) }
    }

    /// Signed events the model counts at `s` that have no counted token, oldest first.
    func unstamped(_ s: ModelState) throws -> [(event: Data, signed: ModelSignedEvent)] {
        let open = s.signedEvents.filter { s.trustedTimes[$0.key] == nil }
        return try open.map { (event: $0.key, signed: $0.value, time: try repo.commit($0.value.commit).committer.time) }
            .sorted { ($0.time, ReferenceModel.hex($0.event)) < ($1.time, ReferenceModel.hex($1.event)) }
            .map { (event: $0.event, signed: $0.signed) }
    }

    /// The committer time the next commit gets.
    var nextTime: Date { Date(timeIntervalSince1970: TimeInterval(writer.time + writer.step)) }

    /// A real token of `profile`'s TSA over commit `id`'s object, its genTime `at`.
    func token(over id: ObjectID, by profile: TSAProfile = .rsa, at: Date) throws -> Data {
        try TSAClient.token(over: try repo.commitObject(id), by: profile, at: at)
    }

    /// The path of the token of `event`.
    static func tokenPath(_ event: Data) -> String { "\(ReferenceModel.Changes.timestampFolder)/\(ReferenceModel.hex(event)).tsr" }

    /// A commit on `branch` adding `tokens` (event → DER) and `extra`, with `message`, signed by `signer`.
    func writeTokens(_ tokens: [(Data, Data)], branch: Int, signer: HistoryWriter.Signer, message: String, note: String, extra: [TreeUpdate] = []) throws {
        var updates = extra
        for (event, der) in tokens { updates.append(.upsert(path: Self.tokenPath(event), blob: try repo.writeBlob(der), mode: 0o100644)) }
        let parent = tip(branch)
        let id = try writer.commit(signer, tree: try writer.tree(parent, updates), parents: [parent], message: message,
                                   note: "\(branch == 0 ? "main" : "clone\(branch)"): \(note)")
        setTip(branch, id)
    }

    /// A timestamp event by `who` over `events`, each token made now (or, with `skew`, 20 minutes before the event).
    func writeStamps(_ events: [(event: Data, signed: ModelSignedEvent)], by who: String, branch: Int, skew: Bool = false, label: String = "") throws {
        guard !events.isEmpty else { return }
        var tokens: [(Data, Data)] = []
        for (event, signed) in events {
            let at = skew ? Date(timeIntervalSince1970: TimeInterval(try repo.commit(signed.commit).committer.time - 1_200)) : nextTime
            tokens.append((event, try token(over: signed.commit, at: at)))
        }
        let covered = events.map { "\($0.signed.commit.hex.prefix(8)) of \(owner($0.signed.keyBlob) ?? "?")" }.joined(separator: ", ")
        try writeTokens(tokens, branch: branch, signer: .identity(who), message: HistoryWriter.message("timestamp \(events.count) events", HistoryWriter.trailers(.timestamp, who)),
                        note: "timestamp \(covered)\(skew ? " (genTime 20 min before)" : "")\(label) by \(who)")
    }

    /// Step 2: stamps one to three recent events without a token (a random pick also when no TSA is listed yet).
    func stamp(pick: Int, branch: Int, state s: ModelState) throws {
        guard let policy = s.policy, policy.timestamping != nil || pick >= 100 else { return }
        let open = try unstamped(s)
        guard !open.isEmpty else { return }
        let count = 1 + pick % 3
        if policy.allows(.timestamp, "bot"), pick % 2 == 0 {
            try writeStamps(Array(open.suffix(count + pick % 4).prefix(count)), by: "bot", branch: branch, skew: pick % 7 == 6)
            return
        }
        let newest = open[open.count - 1 - pick % min(open.count, 4)]
        guard let who = owner(newest.signed.keyBlob) else { return }
        try writeStamps(Array(open.filter { owner($0.signed.keyBlob) == who }.suffix(count)), by: who, branch: branch, skew: pick % 7 == 6, label: " (own events)")
    }

    /// A policy change on main by alice that `edit` describes (nil: nothing to change); while a change is pending,
    /// the next admin approves it instead. True when a change was written.
    func proposePolicy(state s: ModelState, _ edit: (inout PolicyDocument) throws -> String?) throws -> Bool {
        if !s.pending.isEmpty {
            try changePolicy(0, state: s)
            return false
        }
        guard let policy = s.policy, var doc = try currentDocument(), doc.serial == policy.serial, let what = try edit(&doc) else { return false }
        doc.serial += 1
        let blob = try repo.writeBlob(doc.data)
        documents[blob] = doc
        var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: blob, mode: 0o100644)]
        if let signers = doc.allowedSigners {
            updates.append(.upsert(path: ".sigit/allowed_signers", blob: try writer.blob(signers), mode: 0o100644))
        }
        main = try writer.commit(.identity("alice"), tree: try writer.tree(main, updates), parents: [main],
                                 message: HistoryWriter.message("policy: \(what)", HistoryWriter.trailers(.policy, "alice")),
                                 note: "main: policy serial \(doc.serial): \(what) by alice")
        return true
    }

    /// Revokes bob's first key as compromised since `since` (a pick of 3 mod 4 moves an earlier compromise time
    /// back by ten minutes more); true when the change was written.
    func compromiseBob(since: Int64, pick: Int, state s: ModelState) throws -> Bool {
        try proposePolicy(state: s) { doc in
            guard let key = doc.identities["bob"]?.first, !key.revoked else { return nil }
            if let known = key.compromisedSince {
                guard pick % 4 == 3 else { return nil }
                let earlier = min(known, since) - 600
                doc.identities["bob"]?[0].compromisedSince = earlier
                return "bob's key compromised since earlier, \(PolicyDocument.rfc3339(earlier))"
            }
            doc.identities["bob"]?[0].compromisedSince = since
            return "compromise bob's key since \(PolicyDocument.rfc3339(since))"
        }
    }

    /// Compromises bob's first key since `since` and puts it in force at once (a second admin approves under a
    /// threshold of 2); true when it is in force.
    func compromiseBobNow(since: Int64) throws -> Bool {
        guard try compromiseBob(since: since, pick: 0, state: try model.state(at: main)) else { return false }
        let s = try model.state(at: main)
        if !s.pending.isEmpty { try changePolicy(0, state: s) }
        return try model.state(at: main).pending.isEmpty
    }
}
