import Crypto
import Foundation
import GitKit
import TrustedTime

/// One counted time-stamp token an evidence package carries (spec section 8), and the authority certificate
/// `VERIFY.md` checks it against with `openssl ts -verify`.
public struct PackagedStamp: Sendable {
    /// The folder of the tokens in a package.
    public static let folder = "timestamps"
    /// The folder of the authorities' certificates in a package.
    public static let authorityFolder = "authorities"

    /// The event the token covers.
    public let event: EventID
    /// The commit whose object (`git cat-file commit`) the token's imprint hashes.
    public let commit: ObjectID
    /// The counted stamp: genTime, authority name, TSA subject, the `timestamp` event that added it.
    public let stamp: TrustedStamp
    /// The token's DER, as the `timestamp` event added it.
    public let token: Data
    /// The token's file in the package: `timestamps/<event>.tsr`.
    public let file: String
    /// The file of the authority certificate the token chains to: `authorities/<name>.pem`.
    public let authorityFile: String

    /// The authority certificates of `stamps` as they are written: file name and DER, in the order first used.
    public struct Authority: Sendable, Equatable {
        /// `authorities/<name>.pem` (`<name>-2.pem`, ... when policies of the history gave one name to several
        /// certificates).
        public let file: String
        /// The certificate's DER.
        public let certificate: Data
        /// The certificate as PEM.
        public var pem: String { CertificateDER.pem(certificate) }
    }

    /// The counted tokens of the events `commits` names, in `entries` order, each with the certificate it chains to,
    /// and those certificates. The token is read from the tree of the `timestamp` event that added it; its certificate
    /// is the one, among the authorities of that name the policies of the history list (the policy in force at the
    /// `timestamp` event first), that the token verifies against. Throws when a counted token cannot be read or
    /// verifies against none (the history then contradicts its own verdict).
    static func gather(_ entries: [LogEntry], commits: Set<ObjectID>, state: RepositoryState, repo: Repository) throws -> (stamps: [PackagedStamp], authorities: [Authority]) {
        let byCommit = Dictionary(entries.map { ($0.commit, $0) }, uniquingKeysWith: { first, _ in first })
        var stamps: [PackagedStamp] = []
        var authorities: [Authority] = []
        var seen = Set<EventID>()
        for entry in entries where commits.contains(entry.commit) {
            guard let event = entry.event, let stamp = state.trustedTimes[event], seen.insert(event).inserted else { continue }
            let token: Data
            do {
                let tree = try repo.commit(stamp.addedBy).tree
                guard let blob = try repo.treeEntry(tree, path: stamp.path) else { throw SigitError.repository("no \(stamp.path)") }
                token = try repo.blob(blob.id)
            } catch {
                throw SigitError.repository("cannot read the time-stamp token \(stamp.path) of \(stamp.addedBy.hex.prefix(12)): \(Workspace.oneLine(error))")
            }
            let imprint = Data(SHA256.hash(data: try repo.commitObject(entry.commit)))
            let listed = [byCommit[stamp.addedBy]?.policy] + state.ratifications.reversed().map(\.policy) + [state.policy]
            var candidates: [Data] = []
            for policy in listed {
                for authority in policy?.timestamping?.authorities ?? [] where authority.name == stamp.authority && !candidates.contains(authority.certificate) {
                    candidates.append(authority.certificate)
                }
            }
            let parsed = try? TimeStampToken(der: token)
            guard let certificate = candidates.first(where: { der in
                guard let parsed, let root = try? CertificateDER.certificate(der) else { return false }
                return (try? parsed.verify(imprint: imprint, trustedRoots: [root])) != nil
            }) else {
                throw SigitError.repository("the time-stamp token \(stamp.path) counts, yet verifies against no certificate a policy lists for authority \(stamp.authority); run sigit verify")
            }
            let authority: Authority
            if let known = authorities.first(where: { $0.certificate == certificate }) {
                authority = known
            } else {
                var n = 1
                func file(_ n: Int) -> String { "\(authorityFolder)/\(stamp.authority)\(n == 1 ? "" : "-\(n)").pem" }
                while authorities.contains(where: { $0.file == file(n) }) { n += 1 }
                authority = Authority(file: file(n), certificate: certificate)
                authorities.append(authority)
            }
            stamps.append(PackagedStamp(event: event, commit: entry.commit, stamp: stamp, token: token,
                                        file: "\(folder)/\(event.hex).tsr", authorityFile: authority.file))
        }
        return (stamps, authorities)
    }
}
