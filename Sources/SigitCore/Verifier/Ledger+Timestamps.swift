import Crypto
import Foundation
import GitKit
import TrustedTime
import X509

extension Ledger {
    /// A `timestamp` event (spec section 8): one parent; it adds files under `.sigit/timestamps/` and changes nothing
    /// else; each file is named after a counted event that has no counted token yet, and holds a token that verifies,
    /// chains to an authority of the policy in force, covers that event's commit object and was made while the TSA
    /// certificate was valid. The signer holds `timestamp`, or signed every event it stamps. Any problem is a
    /// `timestamp` violation and the event counts nothing (no token of it counts).
    func judgeTimestamp(_ c: CommitRecord, signer: Identity, state: inout RepositoryState, changes: ProtectedChanges, isMerge: Bool, parent: CommitFacts?) throws {
        func refuse(_ message: String) { report(c.id, .timestamp, message) }
        guard !isMerge, let parent else { return refuse("a timestamp event is a commit with one parent, not a merge") }
        guard !changes.policy, !changes.allowedSigners, changes.otherSigit.isEmpty, changes.agreements.isEmpty, changes.strayAgreementPaths.isEmpty else {
            return refuse("a timestamp event adds files under \(TimestampFiles.folder)/ and changes nothing else")
        }
        guard !changes.timestamps.isEmpty else { return refuse("this timestamp event adds no token") }
        guard let policy = state.policy, let section = policy.timestamping, !section.authorities.isEmpty else {
            return refuse("the policy in force (serial \(state.policy?.serial ?? 0)) lists no time-stamping authority, so no token counts")
        }
        let authorities: [(TimestampAuthority, X509.Certificate)] = section.authorities.compactMap { a in (try? a.parsedCertificate()).map { (a, $0) } }
        var wanted: [EventID: String] = [:]
        for path in changes.timestamps.sorted() {
            guard let event = TimestampFiles.event(at: path) else {
                return refuse("\(path) is not a token file: tokens are \(TimestampFiles.folder)/<event identity, 64 lowercase hex digits>.tsr")
            }
            guard try repo.treeEntry(parent.tree, path: path) == nil else {
                return refuse("\(path) already exists: a token is added once and never changed or removed")
            }
            guard let entry = try repo.treeEntry(c.tree, path: path), entry.isFile else {
                return refuse("\(path) is removed or is not a file: a token is added once and never changed or removed")
            }
            wanted[event] = path
        }
        var found: [EventID: StampableEvent] = [:]
        for candidate in state.stampableEvents() where wanted[candidate.event] != nil { found[candidate.event] = candidate }
        let mayStampAny = policy.allows(.timestamp, signer.id)
        var stamps: [(EventID, TrustedStamp)] = []
        for (event, path) in wanted.sorted(by: { $0.value < $1.value }) {
            guard let covered = found[event] else {
                return refuse("\(path) is named after no counted event of this history (a token covers an event its parents count)")
            }
            if let known = state.trustedTimes[event] {
                return refuse("\(path): the event already has a counted token (\(known.path), added by \(short(known.addedBy)))")
            }
            guard mayStampAny || signer.keys.contains(where: { $0.key.blob == covered.keyBlob }) else {
                return refuse("\(signer.id) has no timestamp permission and may stamp only events it signed; \(path) covers \(short(covered.commit)), signed by another key")
            }
            guard let blob = try repo.treeEntry(c.tree, path: path) else { return refuse("\(path) cannot be read") }
            let token: TimeStampToken
            do { token = try TimeStampToken(der: try repo.blob(blob.id)) } catch {
                return refuse("\(path) is not a time-stamp token: \(error)")
            }
            let object = try repo.commitObject(covered.commit)
            let verified: VerifiedTime
            do {
                verified = try token.verify(imprint: Data(SHA256.hash(data: object)), trustedRoots: authorities.map(\.1))
            } catch {
                return refuse("the token \(path) for commit \(short(covered.commit)) does not count: \(error)")
            }
            let authority = authorities.first { $0.1 == verified.authority }?.0
            let eventTime = Date(timeIntervalSince1970: TimeInterval(try repo.commit(covered.commit).committer.time))
            let skewed = eventTime.timeIntervalSince(verified.genTime) > section.maxSkew
            stamps.append((event, TrustedStamp(genTime: verified.genTime, authority: authority?.name ?? "?", authorityFingerprint: authority?.fingerprint ?? "",
                                               tsaSubject: verified.tsaSubject, addedBy: c.id, path: path, skewed: skewed)))
        }
        for (event, stamp) in stamps {
            state.trustedTimes[event] = stamp
            if stamp.skewed, let covered = found[event] {
                let eventTime = (try? repo.commit(covered.commit)).map { Date(timeIntervalSince1970: TimeInterval($0.committer.time)) } ?? stamp.genTime
                report(covered.commit, .clockSkew, "the committer time \(RFC3339.format(eventTime)) is \(Self.duration(eventTime.timeIntervalSince(stamp.genTime))) later than the trusted time \(RFC3339.format(stamp.genTime)) (\(stamp.authority), added by \(short(c.id))); max-skew is \(Self.duration(section.maxSkew))", .warning)
            }
        }
    }

    /// Whether `event` of a key compromised since `since` keeps counting: it has a counted token from before `since`
    /// by an authority of `trusted` (those the policy that set the compromise lists).
    func stampedBefore(_ event: RecordedEvent, _ since: Date, trusted: Set<String>, in state: RepositoryState) -> Bool {
        guard let stamp = state.trustedTimes[event.signedEventID], stamp.genTime < since else { return false }
        return trusted.contains(stamp.authorityFingerprint)
    }


    /// A duration in words for messages (`3h 2m 5s`).
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60)
        return [h > 0 ? "\(h)h" : nil, m > 0 ? "\(m)m" : nil, s > 0 || total == 0 ? "\(s)s" : nil].compactMap { $0 }.joined(separator: " ")
    }
}
