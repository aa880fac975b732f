import Crypto
import Foundation
import GitKit
@testable import SigitCore
import TrustedTime

extension ReferenceModel {
    /// Section 8, a `timestamp` event by `signer` (FORMAT.md's list, read afresh): it counts whole or not at all; when
    /// it counts, each token it adds is the trusted time of the event it is named after.
    func judgeTimestamp(_ f: ModelFacts, tree: ModelTree, signer: Identity, changes: Changes, state s: inout ModelState) throws {
        func refuse(_ why: String) { report(f.id, "timestamp", why) }
        guard f.parents.count == 1 else { return refuse("a merge") }
        guard !changes.policy, changes.otherSigit.isEmpty, changes.agreements.isEmpty, changes.strays.isEmpty, !changes.timestamps.isEmpty else {
            return refuse("changes more than adding tokens, or adds none")
        }
        guard let policy = s.policy, let section = policy.timestamping else { return refuse("no authority in the policy in force") }
        let roots = section.authorities.compactMap { try? $0.parsedCertificate() }
        guard !roots.isEmpty else { return refuse("no authority in the policy in force") }
        let before = try self.tree(try fact(f.parents[0]).tree)
        var stamps: [(Data, ModelSignedEvent, ModelStamp)] = []
        for path in changes.timestamps.sorted() {
            let name = String(path.dropFirst(Changes.timestampFolder.count + 1))
            guard name.hasSuffix(".tsr"), let event = Self.eventHex(String(name.dropLast(4))) else { return refuse("\(path) is not named after an event") }
            guard before.files[path] == nil, let entry = tree.files[path] else { return refuse("\(path) is changed or removed, not added") }
            guard let covered = s.signedEvents[event] else { return refuse("\(path) names no counted event") }
            guard s.trustedTimes[event] == nil else { return refuse("\(path): the event already has a token") }
            guard policy.allows(.timestamp, signer.id) || signer.keys.contains(where: { $0.key.blob == covered.keyBlob }) else {
                return refuse("\(signer.id) may stamp only its own events")
            }
            guard let token = try? TimeStampToken(der: try repo.blob(entry.id)) else { return refuse("\(path) is not a token") }
            let imprint = Data(SHA256.hash(data: try repo.commitObject(covered.commit)))
            guard let verified = try? token.verify(imprint: imprint, trustedRoots: roots) else { return refuse("\(path) does not verify") }
            stamps.append((event, covered, ModelStamp(genTime: verified.genTime, addedBy: f.id)))
        }
        for (event, covered, stamp) in stamps {
            s.trustedTimes[event] = stamp
            let committed = Date(timeIntervalSince1970: TimeInterval(try fact(covered.commit).time))
            if committed.timeIntervalSince(stamp.genTime) > section.maxSkew {
                warn(covered.commit, "clock-skew", "committer time later than the trusted time by more than max-skew", at: f.id)
            }
        }
    }

    /// After a merge whose sides knew different departures: an agreement event of a key compromised since a time
    /// counts only when it is an ancestor of the commit R where the compromise came into force and has a token from
    /// before that time added by a timestamp event R descends from (FORMAT.md section 8); one that is not an ancestor
    /// of R is `key-left`. (A key revoked outright or retired on one side while the other signed is not generated.)
    func dropCompromised(_ s: inout ModelState, merge f: ModelFacts) throws {
        for (blob, left) in s.departures.sorted(by: { $0.key.base64EncodedString() < $1.key.base64EncodedString() }) {
            guard !left.revoked, let since = left.compromisedSince else { continue }
            var gone = Set<Data>()
            for (event, signed) in s.signedEvents where signed.agreement != nil && signed.keyBlob == blob {
                let before = try isAncestor(signed.commit, of: left.commit)
                if !before { report(signed.commit, "key-left", "an event of a compromised key that R does not descend from", at: f.id) }
                if let stamp = s.trustedTimes[event], before, stamp.genTime < since, try isAncestor(stamp.addedBy, of: left.compromisedAt ?? left.commit) { continue }
                gone.insert(event)
            }
            if !gone.isEmpty { removeEvents(&s, gone, keyBlob: blob, keepUnlisted: true) }
        }
    }

    /// 32 bytes from 64 lowercase hex digits; nil otherwise.
    static func eventHex(_ text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count == 64, digits.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return Data(stride(from: 0, to: 64, by: 2).compactMap { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) })
    }

    /// 64 lowercase hex digits of an event identity.
    static func hex(_ event: Data) -> String { event.map { String(format: "%02x", $0) }.joined() }
}
