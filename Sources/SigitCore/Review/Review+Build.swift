import Foundation
import GitKit

extension Review {
    /// Builds the review of agreement `id` at `commit` for `reviewer`, comparing with `since` when given, else with
    /// the reviewer's last approve or decline, else with the last version sent.
    ///
    /// "The reviewer's" means under the reviewer's identity id *and* signed by a key the reviewer's identity lists now:
    /// an identity id can change hands (removed, then given to someone else), and the new holder must not inherit the
    /// old holder's approval as the version they saw (spec section 4, *Who someone was*).
    static func build(id: String, result: Ledger.Result, commit: ObjectID, repo: Repository, reviewer: Identity?, since: ObjectID?, now: Date) throws -> Review {
        let state = result.state
        guard let track = state.agreements[id], track.treeID != nil else {
            throw SigitError.badInput("no agreement \(id) on this branch")
        }
        let mine = result.entries.filter { $0.agreements.contains(id) }
        // Only events the rules accept may serve as a baseline: a forged commit claiming to be my approval must not
        // hide the changes made since.
        let broken = Set(result.findings.filter { $0.severity == .violation }.map(\.commit))
        let valid = mine.filter { !broken.contains($0.commit) }
        let baseline: (ObjectID, String)?
        var firstLook = false
        if let since {
            baseline = (since, "since")
        } else if let reviewer, let last = valid.last(where: { entry in
            let keys = Set(reviewer.keys.map(\.key.fingerprint))
            return entry.identity == reviewer.id && entry.fingerprint.map(keys.contains) == true && (entry.action == "approve" || entry.action == "decline")
        }) {
            baseline = (last.commit, last.action == "approve" ? "your-approval" : "your-decline")
        } else if let send = valid.last(where: { $0.action == "send" }) {
            baseline = (send.commit, "sent")
            firstLook = true
        } else {
            baseline = nil
        }
        let prefix = "agreements/\(id)/"
        let newRoot = try repo.commit(commit).tree
        let oldRoot = try baseline.map { try repo.commit($0.0).tree }
        let oldFolder = try oldRoot.flatMap { try repo.treeEntry($0, path: prefix.dropLastSlash) }.map(\.id)
        var changes: [ReviewChange] = []
        for file in try repo.diff(from: oldRoot, to: newRoot, under: prefix) {
            let path = String((file.newPath ?? file.oldPath ?? "").dropFirst(prefix.count))
            changes.append(ReviewChange(
                path: path, status: file.status.name, binary: file.isBinary,
                // A gitlink's "blob" is a commit id (`malformed-object` where it was added): no digest, never read.
                oldSha256: file.oldBlob.flatMap { try? repo.blob($0) }.map(ContentDigest.sha256Hex),
                newSha256: file.newBlob.flatMap { try? repo.blob($0) }.map(ContentDigest.sha256Hex),
                patch: file.isBinary ? "" : file.patch))
        }
        let decisions = mine.filter { $0.action == "approve" || $0.action == "decline" }.map { entry in
            let event = Certificate.event(entry, track: track, findings: result.findings.filter { $0.commit == entry.commit })
            return ReviewDecision(
                commit: entry.commit.hex, time: RFC3339.format(entry.time), action: entry.action, step: entry.step, identity: entry.identity,
                name: entry.signer?.name, email: entry.signer?.email, fingerprint: entry.fingerprint, keyType: entry.keyType, signature: entry.signature,
                onBehalfOf: entry.trailers?.onBehalfOf, digest: entry.trailers?.digest, current: entry.trailers?.digest == track.digest,
                effect: event.effect, text: entry.body)
        }
        let status = AgreementStatus(track: track, policy: state.policy, now: now)
        let current = status.steps.first { $0.step == status.currentStep }
        let open = current?.slots.filter { $0.state == "pending" }.map { slot in slot.identity.map { $0 == slot.slot ? $0 : "\(slot.slot) (\($0))" } ?? slot.slot } ?? []
        let baselineDigest = try oldFolder.map { try Ledger(repository: repo).digest(of: $0) } ?? (baseline == nil ? nil : ContentDigest.digest([]))
        return Review(
            id: id, title: status.title, state: status.state, digest: track.digest, commit: commit.hex, reviewer: reviewer?.id,
            baseline: baseline.map { Baseline(commit: $0.0.hex, digest: baselineDigest ?? "", reason: $0.1) },
            changes: changes, decisions: decisions, status: status, open: open, threads: CommentThread.threads(of: track),
            // The files of a tampered agreement are not the content its state counts: a first look does not show them.
            documents: firstLook && track.tamperedAt == nil ? try documents(tree: track.treeID, repo: repo) : nil)
    }
}

extension Review {
    /// The most of one text file a first review shows.
    public static let maxShownBytes = 64 * 1024

    /// Every file of the agreement folder `tree`, sorted bytewise, with the text of text files.
    static func documents(tree: ObjectID?, repo: Repository) throws -> [ReviewDocument] {
        guard let tree else { return [] }
        // Regular files only: a link or gitlink is `malformed-object` where it was added, and never read.
        return try repo.files(tree).filter(\.isRegular).compactMap { entry in
            guard let bytes = try? repo.blob(entry.id) else { return nil }
            let text = bytes.contains(0) ? nil : String(validating: bytes, as: UTF8.self)
            var shown = text
            var truncated = false
            if let text, bytes.count > maxShownBytes {
                shown = String(decoding: bytes.prefix(maxShownBytes), as: UTF8.self)
                truncated = text.utf8.count > maxShownBytes
            }
            return ReviewDocument(path: entry.path, size: bytes.count, sha256: ContentDigest.sha256Hex(bytes), binary: text == nil, text: shown, truncated: truncated)
        }.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }
}

extension String {
    /// The path without its trailing slash.
    var dropLastSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}

extension FileDiff.Status {
    /// The word a review prints and its JSON carries.
    var name: String {
        switch self {
        case .added: "added"
        case .deleted: "deleted"
        case .modified: "modified"
        case .renamed: "renamed"
        case .typeChanged: "type-changed"
        }
    }
}
