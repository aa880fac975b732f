import Foundation
import GitKit

extension Workspace {
    /// `sigit role remove ROLE MEMBER...`: a signed policy change without these members (the role goes when empty).
    public func removeRoleMembers(role: String, members: [String]) throws -> Written {
        try changePolicy(subject: "policy: role \(role) -= \(members.joined(separator: " "))") { policy, _, state in
            try PolicyEditor.removeRoleMembers(&policy, role: role, members: members, namedBy: Self.openAgreements(naming: .role(role), in: state))
        }
    }

    /// The agreements not completed or voided whose workflow, `cc` or escalation names `slot`, sorted by id.
    public static func openAgreements(naming slot: Slot, in state: RepositoryState) -> [String] {
        state.sortedAgreements.filter { track in
            guard !track.phase.isTerminal, case .success(let spec) = track.spec else { return false }
            return (spec.workflow.flatMap(\.approvers) + spec.cc + (spec.escalation?.to ?? [])).contains(slot)
        }.map(\.id)
    }

    /// `sigit ungrant PERMISSION ENTRY...`: a signed policy change that takes a permission back.
    public func ungrant(permission: String, entries: [String]) throws -> Written {
        try changePolicy(subject: "policy: ungrant \(permission) from \(entries.joined(separator: " "))") { policy, _, _ in
            try PolicyEditor.ungrant(&policy, permission: permission, entries: entries)
        }
    }

    /// `sigit policy withdraw [--digest D]`: one signed `policy` event that writes back the ratified
    /// `.sigit/policy.yml` (and its `allowed_signers`), which withdraws every pending change (docs/FORMAT.md).
    ///
    /// Any admin of the policy in force may withdraw (the proposer is one). `digest` pins the change the caller
    /// means: the write refuses unless it is pending. Returns the write and the withdrawn changes.
    public func withdrawPolicy(digest text: String?, all: Bool = false) throws -> (written: Written, withdrawn: [PendingPolicy]) {
        let digest = try text.map(DigestText.parse)
        var withdrawn: [PendingPolicy] = []
        let written = try write { state, me in
            guard let policy = state.policy, let inForce = state.policyDigest else { throw SigitError.repository("no policy in force") }
            if state.pending.count > 1, !all {
                let digests = state.pending.keys.sorted().joined(separator: ", ")
                throw SigitError.badInput("\(state.pending.count) policy changes are pending (\(digests)); a withdrawal writes the policy in force back and so withdraws every one of them: run sigit policy withdraw --all; nothing was written")
            }
            let named = try all ? (digest.map { try Self.pendingChange(state, digest: $0, verb: "withdraw") } ?? state.pending.values.sorted { $0.digest < $1.digest }.first
                                   ?? Self.pendingChange(state, digest: nil, verb: "withdraw"))
                                : Self.pendingChange(state, digest: digest, verb: "withdraw")
            guard policy.allows(.admin, me.id) else {
                throw SigitError.notAllowed("\(me.id) is not an admin; only admins withdraw policy changes; nothing was written")
            }
            let bytes = try ratifiedPolicyFile(state, digest: inForce)
            if let tree = state.sigitTree, let entry = try repo.treeEntry(tree, path: "policy.yml"), !entry.isTree,
               ContentDigest.sha256Hex(try repo.blob(entry.id)).withPrefix == inForce {
                throw SigitError.badInput("the branch already holds the policy in force (serial \(policy.serial)) while \(named.digest) is pending; a withdrawal must change .sigit/policy.yml back to it, so approve the change or propose another")
            }
            withdrawn = state.pending.values.sorted { $0.digest < $1.digest }
            var trailers = EventTrailers()
            trailers.version = "1"
            trailers.action = .policy
            trailers.identity = me.id
            let list = withdrawn.map { "\($0.digest) (proposed in \($0.commit.hex))" }.joined(separator: ", ")
            let what = withdrawn.count == 1 ? "serial \(named.policy.serial) (\(named.digest.prefix(19)))" : Plural.count(withdrawn.count, "pending change")
            return EventDraft(subject: "policy: withdraw \(what)",
                              body: "Withdraws the pending policy change \(list); .sigit/policy.yml is the policy in force again (serial \(policy.serial)).",
                              trailers: trailers,
                              files: [Policy.path: .write(bytes, executable: false),
                                      PolicyEditor.allowedSignersPath: .write(Data(policy.allowedSigners().utf8), executable: false)],
                              checkoutPaths: [Policy.path, PolicyEditor.allowedSignersPath])
        }
        return (written, withdrawn)
    }

    /// `sigit policy sync-signers`: one signed `policy` event that writes `.sigit/allowed_signers` as the policy in
    /// force gives it; refuses when the file already agrees, or while a change is pending.
    public func syncAllowedSigners() throws -> Written {
        try write { state, me in
            guard let policy = state.policy else { throw SigitError.repository("no policy in force") }
            guard policy.allows(.admin, me.id) else {
                throw SigitError.notAllowed("\(me.id) is not an admin; only admins rewrite .sigit/allowed_signers; nothing was written")
            }
            if let pending = state.pending.values.sorted(by: { $0.digest < $1.digest }).first {
                throw SigitError.notAllowed("a policy change is pending (\(pending.digest)); approve or withdraw it first (sigit policy approve, sigit policy withdraw); nothing was written")
            }
            let wanted = Data(policy.allowedSigners().utf8)
            if let tree = state.sigitTree, let entry = try repo.treeEntry(tree, path: "allowed_signers"), !entry.isTree,
               try repo.blob(entry.id) == wanted {
                throw SigitError.badInput(".sigit/allowed_signers already agrees with the policy in force (serial \(policy.serial)); nothing to do")
            }
            var trailers = EventTrailers()
            trailers.version = "1"
            trailers.action = .policy
            trailers.identity = me.id
            return EventDraft(subject: "policy: write allowed_signers for serial \(policy.serial)",
                              body: "Writes .sigit/allowed_signers as the policy in force (serial \(policy.serial)) gives it.",
                              trailers: trailers, files: [PolicyEditor.allowedSignersPath: .write(wanted, executable: false)],
                              checkoutPaths: [PolicyEditor.allowedSignersPath])
        }
    }

    /// The exact bytes of the ratified policy file with `digest`, read from the commit that proposed it.
    func ratifiedPolicyFile(_ state: RepositoryState, digest: String) throws -> Data {
        for ratification in state.ratifications.reversed() where ratification.digest == digest {
            let tree = try repo.commit(ratification.proposal).tree
            if let entry = try repo.treeEntry(tree, path: Policy.path), !entry.isTree {
                let bytes = try repo.blob(entry.id)
                if ContentDigest.sha256Hex(bytes).withPrefix == digest { return bytes }
            }
        }
        throw SigitError.repository("the file of the policy in force (\(digest)) is not in the history this branch holds")
    }
}
