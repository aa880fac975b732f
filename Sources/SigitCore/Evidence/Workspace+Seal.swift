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
        guard track.phase == .completed, let completedAt = track.completedAt else {
            throw SigitError.notAllowed("agreement \(id) is \(track.phase(at: Date()).rawValue); only a completed agreement is sealed")
        }
        if let tampered = track.tamperedAt {
            throw SigitError.notAllowed("the files of agreement \(id) were changed by a violation at \(tampered.hex.prefix(12)) and are not the content that was completed; sigit verify names it; nothing was sealed")
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
        Completed by: \(completedAt.hex)
        Policy serial: \(policy.serial)
        Trust root: \(result.state.root?.hex ?? "?")
        Approvals:
        \(approvals.joined(separator: "\n"))
        """
        let buffer = Repository.tagBuffer(target: completedAt, name: name, tagger: signature(me), message: message)
        let tag = try repo.createTag(buffer: buffer, signature: try armoredSignature(buffer, signer: signer))
        try repo.updateReference(reference, to: tag, expecting: nil, message: "sigit: seal \(id)")
        return (tag, completedAt)
    }

    /// Why a tag under refs/tags/sigit/ is not a valid seal, or nil. `state` is the verified state at a commit that
    /// contains the seal's target (a branch tip). A seal is named `sigit/<id>/completed`, is an annotated tag of that
    /// name, is signed (SSHSIG, namespace git) by a key some ratified policy of that history listed and did not revoke
    /// (or mark compromised) in its newest listing, and points to the commit that completed agreement `<id>`.
    func sealProblem(_ ref: String, tag: ObjectID, state: RepositoryState) -> String? {
        guard let id = Self.sealAgreement(ref) else { return Self.sealNameProblem }
        guard let (payload, armored, target) = try? repo.signedTag(tag) else { return "a seal is an annotated tag (sigit seal writes it)" }
        guard let armored else { return "the seal is not signed" }
        let name = "tag " + ref.dropFirst("refs/tags/".count) + "\n"
        let header = String(decoding: payload, as: UTF8.self).components(separatedBy: "\n\n").first ?? ""
        guard (header + "\n").hasPrefix("object ") && (header + "\n").contains("\n" + name) else {
            return "the tag inside is not named \(ref.dropFirst("refs/tags/".count))"
        }
        guard case .good(let key) = SignatureCheck.check(armored: armored, payload: payload) else { return "the seal's signature does not verify" }
        guard state.root != nil, let track = state.agreements[id], track.phase == .completed, track.completedAt == target else {
            return "the seal must point to the commit that completed \(id) on this history"
        }
        var newest: PolicyKey?
        for policy in state.ratifications.map(\.policy) + [state.policy].compactMap({ $0 }) {
            if let (_, listed) = policy.owner(of: key) { newest = listed }
        }
        guard let newest, !newest.isCompromised else {
            return "the seal is signed by \(key.fingerprint), which no policy of this history lists (or it was revoked or marked compromised)"
        }
        return nil
    }

    static let sealNameProblem = "only seals named sigit/<agreement>/completed belong under refs/tags/sigit/"

    /// The agreement id of a seal reference `refs/tags/sigit/<id>/completed`; nil for any other name.
    static func sealAgreement(_ ref: String) -> String? {
        let parts = ref.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "refs", parts[1] == "tags", parts[2] == "sigit", parts[4] == "completed",
              (try? Name.check(String(parts[3]), "agreement id")) != nil else { return nil }
        return String(parts[3])
    }
}
