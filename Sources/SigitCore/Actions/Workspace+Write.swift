import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// What a write produced.
    public struct Written: Sendable {
        /// The new commit.
        public let commit: ObjectID
        /// The acting identity.
        public let identity: String
        /// The state after the commit.
        public let state: RepositoryState
        /// For a policy change or approval: in force or pending, judged by the digest of the file it wrote or approved.
        public var policyOutcome: PolicyChangeOutcome? = nil
    }

    /// Builds, checks, signs and writes one event on the current branch; retries when another process moved it.
    ///
    /// `make` is called with the state at the branch tip and the acting identity and returns the event; it
    /// throws to refuse. The commit is judged by the same rules as `sigit verify` before the branch moves, and
    /// the branch moves by compare-and-swap, so a concurrent writer is never overwritten.
    ///
    /// A write that rewrites files holds the working-tree lock (`withWorktreeLock`) while it moves the branch
    /// and updates the index, and leaves a note first, so a write killed in between is finished by the next one.
    /// A lock file of git's own (`index.lock`, `refs/heads/<branch>.lock`) that stays in the way is named in
    /// the error, never deleted: another live git process may hold it.
    public func write(_ make: (RepositoryState, Identity) throws -> EventDraft) throws -> Written {
        let branch = try branch()
        let signer = try signer()
        finishInterruptedWrites()
        for attempt in 0..<Self.attempts {
            if attempt > 0 { Self.backOff(attempt) }
            let (tip, result) = try state()
            guard let policy = result.state.policy else { throw SigitError.repository("no policy in force") }
            let identity = try identity(of: signer, in: policy)
            let draft = try make(result.state, identity)
            try refuseLocalChanges(draft)
            let base = try repo.commit(tip)
            let tree = try tree(base: base.tree, draft.files)
            // A FIDO key's flags are known only once the authenticator signed: judged first as if it set every
            // flag a step can ask for (so only what the key type cannot meet is refused before the touch), then again
            // with the signature it made, before anything is written.
            let expected = Self.bestCase(signer.publicKey)
            var (state, findings) = try check(draft, tree: tree, parent: tip, identity: identity, signer: signer, on: result.state, details: expected)
            try Self.refuse(findings)
            let message = try draft.checkedMessage()
            let person = signature(identity)
            let buffer = try repo.commitBuffer(tree: tree, parents: [tip], author: person, committer: person, message: message)
            let armored = try armoredSignature(buffer, signer: signer)
            if expected != nil {
                let made = SignatureCheck.checkWithDetails(armored: armored, payload: buffer).details
                (state, findings) = try check(draft, tree: tree, parent: tip, identity: identity, signer: signer, on: result.state, details: made)
                try Self.refuse(findings, signed: true)
            }
            let commit = try repo.createCommit(buffer: buffer, signature: armored)
            let moved = try land(draft, commit: commit, on: branch, from: tip)
            if moved { return Written(commit: commit, identity: identity.id, state: state) }
        }
        throw SigitError.conflict("the branch kept moving while sigit wrote; nothing was written, run the command again")
    }

    /// Moves `branch` from `tip` to the written `commit` by compare-and-swap and brings the working tree's files of the
    /// event up to date (under the working-tree lock, with a note that finishes an interrupted write); false when
    /// another process moved the branch first.
    func land(_ draft: EventDraft, commit: ObjectID, on branch: String, from tip: ObjectID) throws -> Bool {
        let worktree = draft.checkoutPaths + draft.refreshPaths
        if worktree.isEmpty || repo.workdir == nil {
            return try Self.withSignalsDeferred { try moveBranch(branch, to: commit, from: tip, draft) }
        }
        return try withWorktreeLock { try Self.withSignalsDeferred {
            if lockPersists(repo.indexLockPath) { throw staleLock(repo.indexLockPath, "using the index") }
            let note = try notePendingCheckout(commit: commit, paths: worktree)
            let moved: Bool
            do {
                moved = try moveBranch(branch, to: commit, from: tip, draft)
            } catch {
                try? FileManager.default.removeItem(atPath: note)
                throw error
            }
            guard moved else {
                try? FileManager.default.removeItem(atPath: note)
                return false
            }
            try updateWorktree(draft, commit: commit)
            try? FileManager.default.removeItem(atPath: note)
            return true
        } }
    }

    /// Throws the first violation among `findings` as a refusal; `signed`: found in the signature the key made.
    static func refuse(_ findings: [Finding], signed: Bool = false) throws {
        guard let problem = findings.first(where: { $0.severity == .violation }) else { return }
        let made = signed ? " (found in the signature the authenticator made)" : ""
        throw SigitError.notAllowed("refused (\(problem.rule.rawValue)): \(problem.message)\(made); nothing was written")
    }

    /// For a FIDO key, the details of the best signature it can make (user presence and verification, no counter),
    /// to judge an event before the authenticator signs; nil for a software key, whose signatures carry no details.
    static func bestCase(_ key: SSHPublicKey) -> SSHSignatureDetails? {
        guard key.isHardwareBacked else { return nil }
        return SSHSignatureDetails(algorithm: key.algorithm, isHardwareBacked: true,
                                   flags: SSHSignatureDetails.userPresentFlag | SSHSignatureDetails.userVerifiedFlag, counter: 0, webauthnOrigin: nil)
    }

    /// Moves `branch` from `tip` to `commit` by compare-and-swap; false when another process moved it first.
    ///
    /// A branch lock held by another process is waited for briefly (git holds it for milliseconds); one that
    /// stays is reported by name, since only a user can tell whether its process is still alive.
    func moveBranch(_ branch: String, to commit: ObjectID, from tip: ObjectID, _ draft: EventDraft) throws -> Bool {
        do {
            try repo.updateReference(branch, to: commit, expecting: tip, message: "sigit: \(draft.subject)")
            return true
        } catch let error as GitError where error.code == .modified {
            return false
        } catch let error as GitError where error.code == .locked {
            let lock = repo.referenceLockPath(branch)
            if lockPersists(lock) { throw staleLock(lock, "updating \(branch)") }
            return false
        }
    }

    /// Waits a random while before attempt `attempt` (1...), growing with each attempt, so writers that collided
    /// do not collide again in lockstep.
    static func backOff(_ attempt: Int) {
        usleep(UInt32.random(in: 2_000...(10_000 << min(attempt, 6))))
    }

    /// Refuses to run over uncommitted edits in the paths the event rewrites.
    func refuseLocalChanges(_ draft: EventDraft) throws {
        guard !draft.checkoutPaths.isEmpty else { return }
        var changed = try repo.changedPaths(under: draft.checkoutPaths)
        if !changed.isEmpty {
            // Another sigit process may be between moving the branch and updating these very files (it holds the
            // working-tree lock meanwhile): wait for it and look again, so its write is not mistaken for local edits.
            changed = try withWorktreeLock { try repo.changedPaths(under: draft.checkoutPaths) }
        }
        guard changed.isEmpty else {
            throw SigitError.repository("uncommitted changes in \(changed.prefix(3).joined(separator: ", ")); commit or stash them first (sigit writes these paths)")
        }
    }

    /// The tree after applying `files` to `base`.
    func tree(base: ObjectID?, _ files: [String: EventDraft.FileChange]) throws -> ObjectID {
        var updates: [TreeUpdate] = []
        for (path, change) in files.sorted(by: { $0.key < $1.key }) {
            switch change {
            case .write(let data, let executable):
                updates.append(.upsert(path: path, blob: try repo.writeBlob(data), mode: executable ? 0o100755 : 0o100644))
            case .remove:
                if let base, try repo.treeEntry(base, path: path) != nil { updates.append(.remove(path: path)) }
            }
        }
        return try repo.updatedTree(base: base, updates)
    }

    /// Judges the event as if it were committed on `parent`.
    /// `details`: what the signature says (FIDO flags and counter), nil for a software key.
    func check(_ draft: EventDraft, tree: ObjectID, parent: ObjectID, identity: Identity, signer: any SSHSigner, on state: RepositoryState,
               details: SSHSignatureDetails? = nil) throws -> (RepositoryState, [Finding]) {
        try check(draft, tree: tree, parent: parent, identity: identity, key: signer.publicKey, person: signature(identity), on: state, details: details)
    }

    /// Judges the event as if `key` signed it and `person` committed it on `parent`.
    func check(_ draft: EventDraft, tree: ObjectID, parent: ObjectID, identity: Identity, key: SSHPublicKey, person: Signature, on state: RepositoryState,
               details: SSHSignatureDetails? = nil) throws -> (RepositoryState, [Finding]) {
        // Judge the message as git will read it back: free text must not hide or replace the trailer block
        // (git stops reading trailers at a line starting with ---, and a crafted paragraph could pose as the block).
        let message = try draft.checkedMessage()
        let parsed = draft.trailers
        let (subject, body) = CommitRecord.split(message)
        guard subject == draft.subject, body == draft.body.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw SigitError.badInput("the text would change how git reads this event (a line starting with --- or a trailer-like paragraph); rephrase it; nothing was written")
        }
        let record = CommitRecord(
            id: .zero, tree: tree, parents: [parent], committer: person,
            subject: subject, body: body, trailers: .success(parsed), signature: .good(key), eventID: nil, signatureDetails: details)
        return try Ledger(repository: repo).evaluate(candidate: record, on: state)
    }

    /// Writes the signed commit object (no reference moves).
    func commitSigned(_ draft: EventDraft, tree: ObjectID, parents: [ObjectID], identity: Identity, signer: any SSHSigner) throws -> ObjectID {
        try commitSigned(message: try draft.checkedMessage(), tree: tree, parents: parents, identity: identity, signer: signer)
    }

    /// Stores a commit with `message`, authored and committed by `identity` now, signed by `signer`; no reference moves.
    func commitSigned(message: String, tree: ObjectID, parents: [ObjectID], identity: Identity, signer: any SSHSigner) throws -> ObjectID {
        let person = signature(identity)
        let buffer = try repo.commitBuffer(tree: tree, parents: parents, author: person, committer: person, message: message)
        return try repo.createCommit(buffer: buffer, signature: try armoredSignature(buffer, signer: signer))
    }

    /// The armored SSHSIG (namespace git, sha512) of `buffer`, as `git commit -S` and `git tag -s` append it.
    func armoredSignature(_ buffer: Data, signer: any SSHSigner) throws -> String {
        do {
            return try SSHSignature.sign(buffer, namespace: "git", hashAlgorithm: "sha512", with: signer).armored
        } catch {
            throw SigitError.key("signing failed: \(error)")
        }
    }

    /// `name <email>` of the identity, now, in the local time zone.
    func signature(_ identity: Identity) -> Signature {
        let now = Date()
        let offset = TimeZone.current.secondsFromGMT(for: now) / 60
        return Signature(name: identity.name, email: identity.email, time: Int64(now.timeIntervalSince1970), offsetMinutes: Int32(offset))
    }
}
