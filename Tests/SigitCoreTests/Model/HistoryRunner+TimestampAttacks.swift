import Foundation
import GitKit
@testable import SigitCore
import TestSupport

extension HistoryRunner {
    /// The section 8 attacks, on main; each does nothing when the history gives it nothing to work on (no event
    /// without a token, bob's key already revoked, a policy change pending).
    func timestampAttack(_ kind: MutationKind, _ id: String, pick: Int, state given: ModelState) throws {
        var s = given
        // The revocation attacks need it in force at once: a pending policy change is approved first.
        if kind == .forgedFork || kind == .lateToken, !s.pending.isEmpty {
            try changePolicy(0, state: s)
            s = try model.state(at: main)
        }
        guard let policy = s.policy else { return }
        let open = try unstamped(s)
        // Who would stamp an event honestly: bot when it may, else the event's signer.
        func stamper(_ e: (event: Data, signed: ModelSignedEvent)) -> String? { policy.allows(.timestamp, "bot") ? "bot" : owner(e.signed.keyBlob) }
        func message(_ who: String, _ subject: String) -> String { HistoryWriter.message(subject, HistoryWriter.trailers(.timestamp, who)) }
        switch kind {
        case .tokenUnlisted, .tokenOtherCommit, .tokenTruncated:
            guard let e = open.last, let who = stamper(e) else { return }
            let der: Data
            let what: String
            switch kind {
            case .tokenUnlisted:
                der = try token(over: e.signed.commit, by: .unlisted, at: nextTime)
                what = "a token of the unlisted TSA"
            case .tokenOtherCommit:
                let other = try repo.parents(of: e.signed.commit).first ?? main
                der = try token(over: other, at: nextTime)
                what = "a token over \(other.hex.prefix(8)), named after \(e.signed.commit.hex.prefix(8))"
            default:
                let whole = try token(over: e.signed.commit, at: nextTime)
                der = whole.prefix(whole.count / 2)
                what = "a truncated token"
            }
            try writeTokens([(e.event, der)], branch: 0, signer: .identity(who), message: message(who, "timestamp 1 event"), note: "timestamp with \(what) by \(who)")
        case .stampOthers:
            guard !policy.allows(.timestamp, "carol"), let e = open.last(where: { owner($0.signed.keyBlob) != "carol" }) else { return }
            try writeTokens([(e.event, try token(over: e.signed.commit, at: nextTime))], branch: 0, signer: .identity("carol"),
                            message: message("carol", "timestamp 1 event"), note: "timestamp of \(owner(e.signed.keyBlob) ?? "?")'s event by carol (no timestamp permission)")
        case .tokenSmuggled:
            guard let e = open.last else { return }
            let file = TreeUpdate.upsert(path: Self.tokenPath(e.event), blob: try repo.writeBlob(try token(over: e.signed.commit, at: nextTime)), mode: 0o100644)
            switch pick % 3 {
            case 0:
                try writeDraft(id, by: "alice", branch: 0, variant: 0, extra: [file], subject: "draft \(id) with a token (smuggled)")
            case 1:
                try writeTokens([], branch: 0, signer: .identity("alice"), message: "add a token\n", note: "a token added by a plain commit of alice (smuggled)", extra: [file])
            default:
                var t = HistoryWriter.trailers(.notify, "bot", id)
                t.recipient = "bob"
                t.notice = "request"
                t.channel = "smtp"
                try writeTokens([], branch: 0, signer: .identity("bot"), message: HistoryWriter.message("notify \(id) bob", t), note: "notify with a token by bot (smuggled)", extra: [file])
            }
        case .tokenTwice:
            if pick % 2 == 0 {
                // The file of a counted token written again with a new token.
                guard let (event, _) = s.trustedTimes.sorted(by: { ReferenceModel.hex($0.key) < ReferenceModel.hex($1.key) }).first,
                      let signed = s.signedEvents[event], let who = stamper((event, signed)) else { return }
                try writeTokens([(event, try token(over: signed.commit, at: nextTime))], branch: 0, signer: .identity(who), message: message(who, "timestamp 1 event"),
                                note: "timestamp again (a second token for \(signed.commit.hex.prefix(8))) by \(who)")
                return
            }
            // One event stamped on a branch and on main, each with its own token; merged (the files conflict).
            guard let e = open.last, let who = stamper(e) else { return }
            clones = [main]
            try writeStamps([e], by: who, branch: 1, label: " (on a branch)")
            let side = clones[0]
            clones = []
            try writeStamps([e], by: who, branch: 0, label: " (on main too)")
            try mergeIntoMain(side, signer: .unsigned, note: "merge the branch that stamped the same event")
        case .forgedFork:
            try forgedFork(pick: pick, state: s)
        case .lateToken:
            // bob's event stamped on a branch before the compromise time; the branch is merged after the revocation
            // came into force (even picks) or before it (odd picks, the control).
            guard s.pending.isEmpty, Self.untouched(bob: s, key: bobFirstKey),
                  let e = open.last(where: { $0.signed.keyBlob == bobFirstKey && $0.signed.agreement != nil }), let who = stamper(e) else { return }
            clones = [main]
            try writeStamps([e], by: who, branch: 1, label: " (bob's event, on a branch)")
            let side = clones[0]
            clones = []
            let since = writer.time + 30
            if pick % 2 == 0 {
                guard try compromiseBobNow(since: since) else { return }
                try mergeIntoMain(side, signer: .unsigned, note: "merge the branch that stamped bob's event (after the revocation)")
            } else {
                try mergeIntoMain(side, signer: .unsigned, note: "merge the branch that stamped bob's event (before the revocation)")
                _ = try compromiseBobNow(since: since)
            }
        default:
            return
        }
    }

    /// Whether bob's key with `key` is in the policy, neither revoked nor compromised.
    static func untouched(bob s: ModelState, key: Data) -> Bool {
        guard let entry = s.policy?.identities["bob"]?.keys.first(where: { $0.key.blob == key }) else { return false }
        return !entry.revoked && entry.compromisedSince == nil
    }

    /// A thief with bob's first key, on a fork: an approval (a comment when bob may approve nothing) whose committer
    /// time is before the compromise time, and a genuine token for it, made after that time. The fork is merged
    /// before the revocation comes into force (even picks) or after it (odd picks).
    func forgedFork(pick: Int, state s: ModelState) throws {
        guard s.pending.isEmpty, Self.untouched(bob: s, key: bobFirstKey), let policy = s.policy else { return }
        let since = writer.time - 30 - 60 * Int64(pick % 4)
        let forgedAt = since - 90
        // The forgery: what bob could approve now, else a comment.
        var trailers: EventTrailers?
        var subject = ""
        if let id = Self.first(from: 0, in: s, where: { ag in
            ag.phase == .inProgress && ag.currentStep.map { step in Self.eligible(ag, step: step, policy: policy).contains { $0.0 == "bob" && $0.1 == nil } } == true
        }), let ag = s.agreements[id], let step = ag.currentStep {
            trailers = HistoryWriter.trailers(.approve, "bob", id, digest: ag.digest, step: step.name)
            subject = "approve \(id) step \(step.name)"
        } else if let id = Self.first(from: 0, in: s, where: { _ in true }), let ag = s.agreements[id] {
            trailers = HistoryWriter.trailers(.comment, "bob", id, digest: ag.digest)
            subject = "comment \(id)"
        }
        guard let trailers else { return }
        let honest = writer.signingKey["bob"]
        let now = writer.time
        writer.signingKey["bob"] = nil
        writer.time = forgedAt - writer.step
        let forged = try writer.commit(.identity("bob"), tree: try repo.commit(main).tree, parents: [main], message: HistoryWriter.message(subject, trailers),
                                       note: "clone1: \(subject) forged by a thief with bob's key (committer time before the compromise)")
        writer.time = now
        clones = [forged]
        let event = try model.fact(forged).eventID
        try writeTokens([(event, try token(over: forged, at: nextTime))], branch: 1, signer: .identity("bob"), message: HistoryWriter.message("timestamp 1 events", HistoryWriter.trailers(.timestamp, "bob")),
                        note: "timestamp of the forgery (a genuine token, after the compromise time) by the thief")
        writer.signingKey["bob"] = honest
        let side = clones[0]
        clones = []
        if pick % 2 == 0 {
            try mergeIntoMain(side, signer: .unsigned, note: "merge the thief's fork (before the revocation)")
            _ = try compromiseBobNow(since: since)
        } else {
            guard try compromiseBobNow(since: since) else { return }
            try mergeIntoMain(side, signer: .unsigned, note: "merge the thief's fork (after the revocation)")
        }
    }
}
