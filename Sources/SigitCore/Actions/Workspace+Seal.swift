import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// The tag `sigit seal` writes for a completed agreement.
    public static func sealTag(_ id: String) -> String { "sigit/\(id)/completed" }

    /// `sigit seal ID`: an SSH-signed annotated tag `sigit/ID/completed` on the commit that completed the agreement,
    /// so `git tag -v` checks the end state with stock tools. Refuses unless the agreement is completed, and never
    /// moves an existing tag.
    public func seal(id: String) throws -> (tag: ObjectID, target: ObjectID) {
        try Name.check(id, "agreement id")
        let (_, result) = try state()
        guard let policy = result.state.policy else { throw SigitError.repository("no policy in force") }
        guard let track = result.state.agreements[id], track.treeID != nil else { throw SigitError.badInput("no agreement \(id) on this branch") }
        guard track.phase == .completed, let completed = track.completed else {
            throw SigitError.notAllowed("agreement \(id) is \(track.phase(at: Date()).rawValue); only a completed agreement is sealed")
        }
        let signer = try signer()
        let me = try identity(of: signer, in: policy)
        let name = Self.sealTag(id)
        let reference = "refs/tags/" + name
        if let existing = try repo.resolveReference(reference) {
            throw SigitError.badInput("\(name) already exists (\(existing.hex.prefix(12))); a seal is never moved")
        }
        let approvals = track.fills.values.flatMap { $0 }.sorted { $0.event.order < $1.event.order }
            .map { fill in "  \(fill.event.step ?? "?"): \(fill.event.identity)\(fill.event.onBehalfOf.map { " for \($0)" } ?? "") in \(fill.event.commit.hex)" }
        let message = """
        sigit: \(id) completed

        Agreement: \(id)
        Digest: \(track.digest)
        Completed by: \(completed.commit.hex)
        Policy serial: \(policy.serial)
        Trust root: \(result.state.root?.hex ?? "?")
        Approvals:
        \(approvals.joined(separator: "\n"))
        """
        let buffer = Repository.tagBuffer(target: completed.commit, name: name, tagger: signature(me), message: message)
        let signed: SSHSignature
        do {
            signed = try SSHSignature.sign(buffer, namespace: "git", hashAlgorithm: "sha512", with: signer)
        } catch {
            throw SigitError.key("signing failed: \(error)")
        }
        let tag = try repo.createTag(buffer: buffer, signature: signed.armored)
        try repo.updateReference(reference, to: tag, expecting: nil, message: "sigit: seal \(id)")
        return (tag, completed.commit)
    }
}
