import Foundation
import GitKit
@testable import SigitCore
import SSHSig

/// A small, slow reading of spec format-v1 sections 2–5, 7 (assurance) and 9 (invitations): the state at a commit
/// is computed from the states at its parents and the commit's own facts, read from the object database. No ledger
/// code, no caches beyond memoizing each commit's answer, no walk order: a merge joins what counted on each side.
///
/// Readings where the spec is silent (the ledger rewrite should agree or say why not):
/// - An agreement exists in the state from its first counted draft; content no counted draft made is only "tampered".
/// - `digest` is the counted content's digest; the tree's own content is compared with it for `tamperedAt`.
/// - A trust root with a bad or foreign signature still roots the history (with a violation), as the ledger does.
/// - An agreement holding a hostile entry (symlink, gitlink, too deep) has no digest while the entry stays: drafts of
///   it are refused (`agreement-invalid`), approvals fail the digest; other agreements are untouched.
/// - `void` needs the `void` permission or being the sender (spec 3/4), not being the creator.
/// - Same round on both sides of a merge: fills are united (first parent first; a fill whose identity or slot is
///   taken is dropped), delegations united (first parent wins), then voided > declined > completed; a union that
///   completes the last step completes the agreement at the merge. A side's fill beyond its step's quorum counts
///   nothing (status calls it `not-needed`; only the `require: 2` of 3 review of histories with invitations over-fills).
/// - Parallel drafts or sends: draft again, authors united, digest of the merged tree's content, the merge as epoch.
/// - A message with a scissors line, a `---` line or a continued Sigit trailer is `malformed-event` even when
///   libgit2 reads well-formed trailers.
/// - Section 9 (FORMAT.md's reading): an `enroll` is judged by its invitation before any signer rule (every
///   condition of *Enrollment*, checked afresh: the new policy must equal the policy in force with serial + 1, the
///   passkey appended and `enrolled` at the committer time); it ratifies at once. `expires` equal to the committer
///   time still counts ("not before"). The key type is what is checked: a plain sk-ecdsa signature by the passkey
///   enrolls like a WebAuthn one. An `invite` is judged on the policy it proposes (an unused invitation of
///   Sigit-Invitee for Sigit-Agreement); one that fails counts nothing, a revision in the same commit included.
///   An identity with an invitation acts only by approve, decline or comment of its agreement (and step), changing
///   no file under `.sigit/` or `agreements/`; anything else is `invitation-scope` and counts nothing.
/// - Section 8 (FORMAT.md's reading): a `timestamp` event counts only whole (one parent; only new files under
///   `.sigit/timestamps/`, each named after a signed event the state at its parent counts and has no token for; each
///   token verified by TrustedTime against the certificates of the policy in force, over the SHA-256 of that
///   event's commit object; the signer holds `timestamp` or signed every event it stamps); any other change there is
///   `timestamp`. Tokens join at merges keeping the earlier genTime. `clock-skew` when the committer time is later
///   than genTime by more than `max-skew`. A key `compromised-since` a time leaves at the ratification R; its agreement
///   events with a counted token from before that time keep counting; at a later merge one of its events counts only
///   when it is an ancestor of R with such a token added by a timestamp event R descends from. Notices (the events
///   of a `notify`) are never stamped by the generator and are not modelled as stampable.
/// - Section 7: `hardware` needs an `sk-*` key, `user-presence` flag 0x01, `user-verification` flag 0x04, read
///   from the signature by SSHSig (the cast's Ed25519 keys meet none; erin's passkey signs with 0x05).
/// Not modelled (never generated): expiry, invalid agreement.yml, removed agreement folders, the key-left rule at a
/// join (policy changes are written only while no clone is open), commits libgit2 cannot parse.
final class ReferenceModel {
    /// A violation: the commit it is about, the rule, and the commit whose judgment found it (a merge may report a
    /// replay on an earlier commit).
    struct Violation: Hashable {
        var commit: ObjectID
        var rule: String
        var reportedAt: ObjectID
        var reason: String
    }

    let repo: Repository
    private(set) var facts: [ObjectID: ModelFacts] = [:]
    private(set) var states: [ObjectID: ModelState] = [:]
    private var trees: [ObjectID: ModelTree] = [:]
    private(set) var violations: [Violation] = []
    /// Warnings the model decides (section 8's `clock-skew`), in the same form.
    private(set) var warnings: [Violation] = []
    /// Spec parses by blob.
    private var specs: [ObjectID: Result<AgreementSpec, SchemaError>] = [:]

    init(repository: Repository) {
        repo = repository
    }

    // MARK: reading

    func fact(_ id: ObjectID) throws -> ModelFacts {
        if let known = facts[id] { return known }
        let read = try ModelFacts.read(repo, id)
        facts[id] = read
        return read
    }

    func tree(_ id: ObjectID) throws -> ModelTree {
        if let known = trees[id] { return known }
        let read = try ModelTree.read(repo, tree: id)
        trees[id] = read
        return read
    }

    /// Content digest (spec 5) of agreement `id` in `tree`; nil when the folder holds a hostile entry or is absent.
    func digest(_ id: String, in tree: ModelTree) throws -> String? {
        guard !tree.isHostile(id) else { return nil }
        let files = tree.files(of: id)
        guard !files.isEmpty else { return nil }
        return ContentDigest.digest(try files.map { path, entry in
            ContentDigest.File(mode: entry.mode, path: path, sha256: ContentDigest.sha256Hex(try repo.blob(entry.id)))
        })
    }

    /// The agreement.yml of agreement `id` in `tree`.
    func spec(_ id: String, in tree: ModelTree) throws -> Result<AgreementSpec, SchemaError> {
        let file = "agreements/\(id)/agreement.yml"
        guard let entry = tree.files[file] else { return .failure(SchemaError(file: file, line: nil, reason: "missing")) }
        if let known = specs[entry.id] { return known }
        let result: Result<AgreementSpec, SchemaError>
        do {
            result = .success(try AgreementSpec(yaml: try repo.blob(entry.id), file: file))
        } catch let error as SchemaError {
            result = .failure(error)
        } catch {
            result = .failure(SchemaError(file: file, line: nil, reason: "unreadable"))
        }
        specs[entry.id] = result
        return result
    }

    func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        ancestor == descendant ? true : try repo.isDescendant(descendant, of: ancestor)
    }

    // MARK: state

    /// The state at `tip`, computing every ancestor first (parents before children, iteratively).
    func state(at tip: ObjectID) throws -> ModelState {
        if let known = states[tip] { return known }
        var stack: [ObjectID] = [tip]
        while let id = stack.last {
            if states[id] != nil { stack.removeLast(); continue }
            let missing = try fact(id).parents.filter { states[$0] == nil }
            if missing.isEmpty {
                states[id] = try compute(id)
                stack.removeLast()
            } else {
                stack.append(contentsOf: missing)
            }
        }
        return states[tip] ?? ModelState()
    }

    /// Commits with at least one violation among the commits reachable from `tip` (judged there).
    func violatingCommits(upTo tip: ObjectID) throws -> Set<ObjectID> {
        _ = try state(at: tip)
        let reachable = Set(try repo.walk(from: [tip]))
        return Set(violations.filter { reachable.contains($0.reportedAt) }.map(\.commit))
    }

    func warn(_ commit: ObjectID, _ rule: String, _ reason: String, at: ObjectID) {
        let v = Violation(commit: commit, rule: rule, reportedAt: at, reason: reason)
        if !warnings.contains(v) { warnings.append(v) }
    }

    /// Commits with a warning of `rule` among the commits reachable from `tip` (reported there).
    func warnedCommits(_ rule: String, upTo tip: ObjectID) throws -> Set<ObjectID> {
        _ = try state(at: tip)
        let reachable = Set(try repo.walk(from: [tip]))
        return Set(warnings.filter { $0.rule == rule && reachable.contains($0.reportedAt) }.map(\.commit))
    }

    func report(_ commit: ObjectID, _ rule: String, _ reason: String, at: ObjectID? = nil) {
        let v = Violation(commit: commit, rule: rule, reportedAt: at ?? commit, reason: reason)
        if !violations.contains(v) { violations.append(v) }
    }
}
