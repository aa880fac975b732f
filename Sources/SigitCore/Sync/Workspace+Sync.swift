import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// `sigit sync [REMOTE]`: fetch the current branch from `remote`, bring it in (fast-forward, or a merge commit
    /// signed by the current signer when both sides moved: never a rebase, which would destroy the signatures),
    /// then push. Incoming commits are checked with the rules of `sigit verify` first; a history with a violation,
    /// a different trust root or a conflict is not merged, and nothing changes.
    public func sync(remote requested: String?) throws -> SyncOutcome {
        let branchRef = try branch()
        let branch = String(branchRef.dropFirst("refs/heads/".count))
        let remote = try remoteName(requested, branch: branch)
        let names = try repo.remoteNames()
        let tracking = names.contains(remote) ? "refs/remotes/\(remote)/\(branch)" : "refs/sigit/fetched/\(branch)"
        let credentials = RemoteCredentials(privateKeyPath: transportKey())
        var said: [String] = []
        // Leftovers of an earlier fetch (another URL, another run) must not pass for what this remote has.
        if !names.contains(remote) { try repo.deleteReference(tracking) }
        for stale in try repo.references(matching: Self.incomingSeals + "*").keys { try repo.deleteReference(stale) }
        do {
            // Seals land in a staging namespace first; each is checked before it becomes a local tag.
            said += try repo.fetch(remote: remote, refspecs: ["+\(branchRef):\(tracking)", "+refs/tags/sigit/*:\(Self.incomingSeals)*"],
                                       credentials: credentials).messages
        } catch let error as GitError {
            throw SigitError.repository("cannot fetch \(branch) from \(TerminalText.safe(remote)): \(error.message)")
        }
        finishInterruptedWrites()
        guard let ours = try head() else { throw SigitError.repository("the branch has no commits yet; run sigit init first") }
        let theirs = try repo.resolveReference(tracking)
        let fetched = RemoteProgress.split(said)
        var outcome = SyncOutcome(action: "up-to-date", tip: ours, merge: nil, pushed: false, messages: fetched.messages, warnings: [], notes: [])
        outcome.progress = fetched.progress
        // Each walk's state is used again below: the state at the new tip comes from the walk that judged it.
        var tipState = try checkOutgoing(ours, theirs: theirs, remote: remote).state

        if let theirs, theirs != ours, !(try repo.isDescendant(ours, of: theirs)) {
            let incoming = try checkIncoming(theirs, ours: ours, remote: remote)
            outcome.warnings = incoming.findings.filter { $0.severity == .warning }
            if try repo.isDescendant(theirs, of: ours) {
                try advance(branchRef, from: ours, to: theirs, message: "sigit sync: fast-forward to \(remote)/\(branch)")
                outcome.action = "fast-forward"
                outcome.tip = theirs
                tipState = incoming.state
            } else {
                let (merge, merged) = try mergeCommit(ours: ours, state: tipState, theirs: theirs, remote: remote, branch: branch)
                tipState = merged
                try advance(branchRef, from: ours, to: merge, message: "sigit sync: merge \(remote)/\(branch)")
                outcome.action = "merged"
                outcome.tip = merge
                outcome.merge = merge
            }
        }
        // Seals are judged on the verified state at the new tip.
        let remoteSeals = try adoptSeals(state: tipState, notes: &outcome.notes)
        // Valid local seals the remote lacks are published with the branch (a seal is never moved: one the remote
        // has, the same or not, is left alone).
        let seals = try validSeals(state: tipState, notes: &outcome.notes).filter { !remoteSeals.contains($0) }
        guard let tip = outcome.tip, tip != theirs || !seals.isEmpty else { return outcome }
        let report: RemoteReport
        do {
            report = try repo.push(remote: remote, refspecs: ["\(branchRef):\(branchRef)"] + seals.map { "\($0):\($0)" }, credentials: credentials)
        } catch let error as GitError {
            throw SigitError.repository("\(outcome.action == "up-to-date" ? "" : "\(outcome.action) locally, but ")cannot push to \(TerminalText.safe(remote)): \(error.message)")
        }
        let pushed = RemoteProgress.split(report.messages)
        outcome.messages += pushed.messages
        outcome.progress += pushed.progress
        if let reason = report.rejected[branchRef] {
            let said = pushed.messages.map { "\n  remote: " + TerminalText.safe($0) }.joined()
            if reason.contains("fast-forward") || reason.contains("fetch first") {
                throw SigitError.conflict("\(remote) moved while sigit synced; run sigit sync again\(said)")
            }
            throw SigitError.notAllowed("\(remote) refused the push (\(TerminalText.safe(reason)))\(said)")
        }
        if tip != theirs { outcome.pushedRefs.append(PushedRef(name: branchRef, old: theirs, new: tip)) }
        for seal in seals {
            if let reason = report.rejected[seal] {
                outcome.notes.append("\(seal.dropFirst("refs/tags/".count)) was not pushed: \(reason)")
            } else if let tag = try repo.resolveReference(seal) {
                outcome.pushedRefs.append(PushedRef(name: seal, old: nil, new: tag))
            }
        }
        if names.contains(remote) { try? repo.updateReference(tracking, to: tip, expecting: nil == theirs ? nil : theirs, message: "sigit sync: pushed") }
        outcome.pushed = true
        if outcome.action == "up-to-date", tip != theirs { outcome.action = "pushed" }
        return outcome
    }

    /// Where `sigit sync` fetches the remote's seals before checking them.
    static let incomingSeals = "refs/sigit/incoming-seals/"

    /// Turns fetched seals that pass `sealProblem` into local tags; a local tag is never replaced. Notes seals left
    /// out, removes the staging references, and returns the names of the remote's seals.
    func adoptSeals(state: RepositoryState, notes: inout [String]) throws -> Set<String> {
        var remote = Set<String>()
        for (staged, tag) in try repo.references(matching: Self.incomingSeals + "*").sorted(by: { $0.key < $1.key }) {
            defer { try? repo.deleteReference(staged) }
            let name = "refs/tags/sigit/" + staged.dropFirst(Self.incomingSeals.count)
            remote.insert(name)
            let shown = TerminalText.safe(String(name.dropFirst("refs/tags/".count)))
            if let mine = try repo.resolveReference(name) {
                if mine != tag { notes.append("the remote's \(shown) differs from yours; yours is kept (a seal is never moved)") }
                continue
            }
            if let problem = sealProblem(name, tag: tag, state: state) {
                notes.append("the remote's \(shown) was not taken: \(problem)")
                continue
            }
            try repo.updateReference(name, to: tag, expecting: nil, message: "sigit sync: seal")
        }
        return remote
    }

    /// Local seals that pass `sealProblem`; notes why others are not pushed.
    func validSeals(state: RepositoryState, notes: inout [String]) throws -> [String] {
        var valid: [String] = []
        for (name, tag) in try repo.references(matching: "refs/tags/sigit/*").sorted(by: { $0.key < $1.key }) {
            if let problem = sealProblem(name, tag: tag, state: state) {
                notes.append("\(TerminalText.safe(String(name.dropFirst("refs/tags/".count)))) is not pushed: \(problem)")
            } else {
                valid.append(name)
            }
        }
        return valid
    }

    /// The remote to use: the one given, the branch's upstream (`branch.<name>.remote`), or origin.
    func remoteName(_ requested: String?, branch: String) throws -> String {
        if let requested, !requested.isEmpty {
            guard !requested.hasPrefix("-") else { throw SigitError.badInput("invalid remote \(Name.quoted(requested))") }
            return requested
        }
        if let upstream = try repo.configString("branch.\(branch).remote"), !upstream.isEmpty, upstream != "." { return upstream }
        guard try repo.remoteNames().contains("origin") else {
            throw SigitError.badInput("no remote to sync with: name one (sigit sync REMOTE) or add origin (git remote add origin URL)")
        }
        return "origin"
    }

    /// The key for ssh transport: SIGIT_SSH_KEY, else ~/.ssh/id_ed25519 when present (ssh-agent is tried first).
    func transportKey() -> String? {
        if let key = environment["SIGIT_SSH_KEY"], !key.isEmpty { return key }
        let fallback = (environment["HOME"] ?? NSHomeDirectory()) + "/.ssh/id_ed25519"
        return FileManager.default.fileExists(atPath: fallback) ? fallback : nil
    }

    /// Verifies the commits `theirs` brings; refuses a violation or a different trust root.
    func checkIncoming(_ theirs: ObjectID, ours: ObjectID, remote: String) throws -> Ledger.Result {
        let result = try ledger(tip: theirs, hiding: [ours])
        let violations = result.findings.filter { $0.severity == .violation }
        if let first = violations.first {
            throw SigitError.notAllowed("\(remote) brings \(Plural.count(violations.count, "violation")), the first in \(first.commit.hex.prefix(12)) [\(first.rule.rawValue)] \(TerminalText.safe(first.message)); nothing was merged (see sigit verify \(ours.hex.prefix(12))..\(theirs.hex.prefix(12)))")
        }
        return result
    }

    /// Refuses to merge or push local commits that break a rule: sync publishes only history `sigit verify` accepts.
    func checkOutgoing(_ ours: ObjectID, theirs: ObjectID?, remote: String) throws -> Ledger.Result {
        let result = try ledger(tip: ours, hiding: theirs.map { [$0] } ?? [])
        let violations = result.findings.filter { $0.severity == .violation }
        if let first = violations.first {
            throw SigitError.notAllowed("your branch has \(Plural.count(violations.count, "violation")) \(TerminalText.safe(remote)) does not have, the first in \(first.commit.hex.prefix(12)) [\(first.rule.rawValue)] \(TerminalText.safe(first.message)); nothing was merged or pushed (see sigit verify)")
        }
        return result
    }

    /// A merge commit of `ours` and `theirs` signed by the current signer, checked by the rules before use. A
    /// conflict, or a merge the rules would not accept (a content change the signer may not make), is refused.
    /// `state` is the verified state at `ours`; returns the merge and the state at it.
    func mergeCommit(ours: ObjectID, state: RepositoryState, theirs: ObjectID, remote: String, branch: String) throws -> (ObjectID, RepositoryState) {
        let tree: ObjectID
        switch try repo.mergeTrees(ours: ours, theirs: theirs) {
        case .conflicts(let paths):
            let shown = paths.prefix(5).map { TerminalText.safe($0) }.joined(separator: ", ")
            throw SigitError.conflict("both sides changed \(shown)\(paths.count > 5 ? " and \(paths.count - 5) more" : ""); nothing was merged. Agree on one revision: merge by hand (git merge \(remote)/\(branch)), resolve, commit with a signed sigit draft, then sigit sync")
        case .clean(let merged):
            tree = merged
        }
        guard let policy = state.policy else { throw SigitError.repository("no policy in force") }
        let signer = try signer()
        let identity = try identity(of: signer, in: policy)
        let message = "Merge \(remote)/\(branch) (sigit sync)\n\nBoth sides moved; merged with a signed merge commit, never rebased, so every signature stays.\n"
        let merge = try commitSigned(message: message, tree: tree, parents: [ours, theirs], identity: identity, signer: signer)
        let judged = try Ledger(repository: repo).run(tip: merge, hiding: [ours, theirs])
        if let problem = judged.findings.first(where: { $0.severity == .violation }) {
            throw SigitError.notAllowed("the merge would break a rule (\(problem.rule.rawValue)): \(TerminalText.safe(problem.message)); nothing was merged")
        }
        return (merge, judged.state)
    }

    /// Moves `branch` from `old` to `new` by compare-and-swap and brings the index and working tree along, after
    /// checking no local edit sits in a path that changes. Crash-safe like every write (a note in .git/sigit/pending).
    func advance(_ branch: String, from old: ObjectID, to new: ObjectID, message: String) throws {
        let oldTree = try repo.commit(old).tree, newTree = try repo.commit(new).tree
        let paths = Array(Set(try repo.diff(from: oldTree, to: newTree, under: "").flatMap { [$0.oldPath, $0.newPath].compactMap { $0 } })).sorted()
        guard !paths.isEmpty, !repo.isBare else {
            try moveOrFail(branch, from: old, to: new, message: message)
            return
        }
        let local = try repo.changedPaths(under: paths)
        guard local.isEmpty else {
            throw SigitError.repository("uncommitted changes in \(local.prefix(3).map { TerminalText.safe($0) }.joined(separator: ", ")), which the sync would change; commit or stash them first; nothing was merged")
        }
        try withWorktreeLock { try Self.withSignalsDeferred {
            let note = try notePendingCheckout(commit: new, paths: paths)
            do {
                try moveOrFail(branch, from: old, to: new, message: message)
            } catch {
                try? FileManager.default.removeItem(atPath: note)
                throw error
            }
            try repo.resetIndexToHead(paths: paths)
            try repo.checkoutHead(paths: paths)
            try? FileManager.default.removeItem(atPath: note)
        } }
    }

    func moveOrFail(_ branch: String, from old: ObjectID, to new: ObjectID, message: String) throws {
        do {
            try repo.updateReference(branch, to: new, expecting: old, message: message)
        } catch let error as GitError where error.code == .modified || error.code == .locked {
            throw SigitError.conflict("the branch moved while sigit synced; nothing was merged, run sigit sync again")
        }
    }
}
