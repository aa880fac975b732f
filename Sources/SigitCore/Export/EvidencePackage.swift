import Foundation
import GitKit
import SSHSig

/// What `sigit export ID -o PATH` writes: everything an auditor needs to check one agreement years later with stock
/// git, ssh-keygen and coreutils alone (docs/EVIDENCE.md).
///
/// - `history.git`: a bare repository holding the full ancestry of the exported commit on `refs/heads/main` (every
///   signature covers a whole tree, so no commit can be left out or trimmed without breaking it), and the seal tag;
///   so the package reveals every other agreement of that history (`others`), which `VERIFY.md` names.
/// - `allowed_signers`: one line per key and per window in which a ratified policy gave it a principal (email), so
///   stock git names each signature's key as it was then (`SignerWindow`); revoked keys are left out.
/// - `certificate.html`, `certificate.json`: the certificate as of the exported commit.
/// - `VERIFY.md`: the commands, with the values to expect.
/// - `timestamps/<event>.tsr` and `authorities/<name>.pem`, when events of the package have counted time-stamp tokens
///   (spec section 8): each token as the `timestamp` event added it, and the certificate of each authority they chain
///   to, which `VERIFY.md` checks them against with `openssl ts -verify`.
public struct EvidencePackage: Sendable {
    public static let historyFolder = "history.git"
    public static let allowedSignersFile = "allowed_signers"
    public static let htmlFile = "certificate.html"
    public static let jsonFile = "certificate.json"
    public static let guideFile = "VERIFY.md"
    /// The branch the exported history is on.
    public static let branch = "refs/heads/main"
    /// The exact `history.git/config` export writes: nothing in it makes git run a program or read other objects.
    static let historyConfig = "[core]\n\tbare = true\n\trepositoryformatversion = 0\n\tfilemode = true\n"
    /// Files that would make git read objects or history from elsewhere; an exported `history.git` has none.
    static let foreignFiles = ["objects/info/alternates", "objects/info/http-alternates", "commondir", "info/grafts", "shallow"]

    /// The references an exported `history.git` holds: the branch, and the seal when there is one.
    var references: [String] { [Self.branch] + (seal.map { ["refs/tags/" + $0.name] } ?? []) }

    /// The agreement.
    public let id: String
    /// The certificate as of `tip`.
    public let certificate: Certificate
    /// The exported commit.
    public let tip: ObjectID
    /// The trust root.
    public let root: ObjectID
    /// Commits whose signature `git verify-commit` must accept: the agreement's events that are not violations and
    /// the commits that signed each policy into force, whose key is in `allowed_signers`; oldest first.
    public let signedCommits: [ObjectID]
    /// Commits with a `Sigit-Digest` trailer that must equal the agreement's content digest in their own tree.
    public let digestCommits: [ObjectID]
    /// The seal tag (full name) and the commit it must point to, when the agreement is sealed.
    public let seal: (name: String, target: ObjectID)?
    /// The allowed_signers text.
    public let allowedSigners: String
    /// The other agreements the history holds (their files and events travel with the package), sorted.
    public let others: [String]
    /// The counted time-stamp tokens of the agreement's events and of the commits in `signedCommits`, oldest first.
    public let stamps: [PackagedStamp]
    /// The certificates of the authorities `stamps` chain to.
    public let authorities: [PackagedStamp.Authority]

    /// Gathers the package contents from a verified walk up to `tip` in `repo`.
    static func gather(id: String, certificate: Certificate, result: Ledger.Result, tip: ObjectID, seal: (String, ObjectID)?, repo: Repository) throws -> EvidencePackage {
        guard let root = result.state.root else { throw SigitError.repository("no trust root: not a sigit history") }
        let (text, fingerprints) = try allowedSigners(result.state.ratifications) { Date(timeIntervalSince1970: TimeInterval(try repo.commit($0).committer.time)) }
        var signed: [ObjectID] = []
        var seen = Set<ObjectID>()
        func add(_ commit: ObjectID) { if seen.insert(commit).inserted { signed.append(commit) } }
        for ratification in result.state.ratifications {
            for signature in ratification.signatures {
                if let key = try? SSHPublicKey(blob: signature.keyBlob), fingerprints.contains(key.fingerprint) { add(signature.commit) }
            }
        }
        var digests: [ObjectID] = []
        for event in certificate.events where event.effect != "violation" {
            guard let commit = ObjectID(hex: event.commit) else { continue }
            if let print = event.fingerprint, fingerprints.contains(print) { add(commit) }
            if event.digest != nil, ["send", "approve", "decline"].contains(event.action) { digests.append(commit) }
        }
        let order = Dictionary(uniqueKeysWithValues: result.entries.enumerated().map { ($1.commit, $0) })
        signed.sort { (order[$0] ?? -1) < (order[$1] ?? -1) }
        let stamped = Set(signed + certificate.events.compactMap { ObjectID(hex: $0.commit) })
        let (stamps, authorities) = try PackagedStamp.gather(result.entries, commits: stamped, state: result.state, repo: repo)
        return EvidencePackage(id: id, certificate: certificate, tip: tip, root: root, signedCommits: signed, digestCommits: digests,
                               seal: seal, allowedSigners: text, others: result.state.agreements.keys.filter { $0 != id }.sorted(),
                               stamps: stamps, authorities: authorities)
    }

    /// The allowed_signers text for the whole history, and the fingerprints it lists: one line per key and per window
    /// in which it had one principal (`SignerWindow.all`), from the ratified policies in serial order, each with the
    /// committer time of its ratifying commit (`committed`); revoked keys are left out.
    static func allowedSigners(_ ratifications: [Ratification], committed: (ObjectID) throws -> Date) throws -> (String, Set<String>) {
        let timed = try ratifications.map { ($0, try committed($0.commit)) }.sorted { a, b in
            (a.0.serial, a.1, a.0.commit.hex) < (b.0.serial, b.1, b.0.commit.hex)
        }
        let windows = SignerWindow.all(timed.map { ($0.0.policy, $0.1) })
        let header = "# one line per key and per window in which a ratified policy of this history gave it that principal (email); "
            + "windows end at the committer time of the commit that ratified a change of principal or the key's departure; "
            + "revoked keys left out (written by sigit export)"
        return (([header] + windows.map(\.line)).joined(separator: "\n") + "\n", Set(windows.map(\.key.fingerprint)))
    }
}
