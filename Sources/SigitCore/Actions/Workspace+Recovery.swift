import Foundation
import GitKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal `Workspace.withSignalsDeferred` held back, 0 for none; written by a signal handler.
nonisolated(unsafe) private var deferredSignal: Int32 = 0

/// Crash safety of the working tree: a write that moves the branch and then updates files can be killed in
/// between. Before the branch moves, the write leaves a note in `.git/sigit/pending/`; the next write finishes
/// the working-tree update when the branch did move, and drops the note when it did not.
extension Workspace {
    /// The note a write leaves while it moves the branch and updates the working tree.
    struct PendingCheckout: Codable {
        /// The commit the branch moves to.
        var commit: String
        /// The paths the working tree and index must match at that commit.
        var paths: [String]
    }

    /// Where notes of unfinished working-tree updates are kept (per working tree, like the index).
    var pendingFolder: String { repo.gitDir + "/sigit/pending" }

    /// Runs `body` holding the working-tree lock of this repository (`.git/sigit/worktree.flock`).
    ///
    /// sigit processes take it around moving the branch and updating the index and working tree, so two of
    /// them never rewrite the index at once (libgit2 reads the index before it locks it, so concurrent
    /// writers could drop each other's entries). It is an advisory `flock`: the kernel releases it when the
    /// process ends, however it ends, so a killed sigit never leaves it behind.
    func withWorktreeLock<R>(_ body: () throws -> R) throws -> R {
        let folder = repo.gitDir + "/sigit"
        let path = folder + "/worktree.flock"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SigitError.repository("cannot open \(path) (\(String(cString: strerror(errno)))); check the permissions of \(folder)")
        }
        defer { close(descriptor) }
        let deadline = Date().addingTimeInterval(Self.lockPatience)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { break }  // no flock here (some network file systems): go on without
            guard Date() < deadline else {
                throw SigitError.conflict("another sigit process has been updating this working tree for \(Int(Self.lockPatience)) seconds (it holds \(path)); nothing was written, run the command again when it is done")
            }
            usleep(5_000)
        }
        return try body()
    }

    /// How long a write waits for another process's lock before giving up.
    static let lockPatience: TimeInterval = 10

    /// Records that the branch is about to move to `commit` and `paths` must then follow; returns the note's path.
    func notePendingCheckout(commit: ObjectID, paths: [String]) throws -> String {
        try FileManager.default.createDirectory(atPath: pendingFolder, withIntermediateDirectories: true)
        let file = pendingFolder + "/" + commit.hex
        let data = try JSONEncoder().encode(PendingCheckout(commit: commit.hex, paths: paths))
        try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        return file
    }

    /// Finishes the working-tree updates of writes that were killed after their branch moved; best effort.
    ///
    /// Runs under the working-tree lock, so every note it sees belongs to a process that is gone. A path is
    /// brought in line with HEAD only when its index entry and working-tree file each hold the content before
    /// the interrupted event, after it, at HEAD, or nothing: never anything a user wrote since. A note that
    /// cannot be acted on now (an index lock in the way) is kept for the next write.
    func finishInterruptedWrites() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: pendingFolder), !names.isEmpty else { return }
        _ = try? withWorktreeLock {
            for name in names {
                let file = pendingFolder + "/" + name
                // On failure (an index lock in the way, say) the note stays for the next write.
                if (try? Self.withSignalsDeferred { try finishInterruptedWrite(file) }) == true {
                    try? FileManager.default.removeItem(atPath: file)
                }
            }
        }
    }

    /// Completes one interrupted update; true when its note can go.
    private func finishInterruptedWrite(_ file: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: file),
              let note = try? JSONDecoder().decode(PendingCheckout.self, from: data),
              let commit = ObjectID(hex: note.commit), !note.paths.isEmpty else { return true }
        // Not on the branch (killed before it moved, another writer won, or the commit is gone): the working tree was never touched.
        guard let head = try head(), head == commit || (try? repo.isDescendant(head, of: commit)) == true else { return true }
        let changed = try repo.changedPaths(under: note.paths)
        guard !changed.isEmpty else { return true }
        let event = try repo.commit(commit)
        var trees = [try repo.commit(head).tree, event.tree]
        if let parent = event.parents.first { trees.append(try repo.commit(parent).tree) }
        for path in changed {
            var known: Set<ObjectID?> = [nil]
            for tree in trees { known.insert(try repo.treeEntry(tree, path: path).map(\.id)) }
            guard known.contains(try repo.indexEntryID(path)) else { return true }
            // libgit2's checkout writes a file in place, so a kill can leave the first part of what it was writing:
            // that is the interrupted write, not a user's edit.
            let written = try known.contains(repo.workdirBlobID(path))
            guard try written || isPartialWrite(path, of: trees) else {
                return true  // someone edited it since: leave it to them (sigit refuses to write over it)
            }
        }
        if FileManager.default.fileExists(atPath: repo.indexLockPath) { return false }
        // The index first: checkout leaves alone a file whose content is already right but that the index lacks.
        try repo.resetIndexToHead(paths: note.paths)
        try repo.checkoutHead(paths: note.paths)
        return true
    }

    /// True when the working-tree file at `path` is a regular file holding a strict beginning of the content one of
    /// `trees` has there: what a write killed half-way leaves.
    func isPartialWrite(_ path: String, of trees: [ObjectID]) throws -> Bool {
        guard let workdir = repo.workdir else { return false }
        let file = workdir + "/" + path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file), attributes[.type] as? FileAttributeType == .typeRegular,
              let bytes = FileManager.default.contents(atPath: file) else { return false }
        for tree in trees {
            guard let entry = try repo.treeEntry(tree, path: path), entry.isFile else { continue }
            let full = try repo.blob(entry.id)
            if bytes.count < full.count && full.prefix(bytes.count) == bytes { return true }
        }
        return false
    }

    /// Runs `body` with SIGINT, SIGTERM, SIGHUP and SIGQUIT held back; one that arrives meanwhile ends the process afterwards.
    ///
    /// Unlike git, libgit2 does not remove its lock files when a signal ends the process, so a Ctrl-C between
    /// taking `refs/heads/<branch>.lock` (or `index.lock`) and renaming it into place would leave a lock that
    /// blocks every later write. Held back, the signal ends sigit with the branch and working tree consistent.
    /// (SIGKILL cannot be held back; the error for a lock left that way names the file.)
    static func withSignalsDeferred<R>(_ body: () throws -> R) rethrows -> R {
        let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
        deferredSignal = 0
        let previous = signals.map { signal($0, { deferredSignal = $0 }) }
        defer {
            for (number, handler) in zip(signals, previous) { signal(number, handler) }
            if deferredSignal != 0 { raise(deferredSignal) }
        }
        return try body()
    }

    /// Waits briefly for a lock file of another git process to go; true when it is still there.
    func lockPersists(_ path: String, patience: TimeInterval = 2) -> Bool {
        let deadline = Date().addingTimeInterval(patience)
        while FileManager.default.fileExists(atPath: path) {
            guard Date() < deadline else { return true }
            usleep(10_000)
        }
        return false
    }

    /// The one-line explanation for a lock file that stays in the way, with its age to help judge whether it is stale.
    func staleLock(_ path: String, _ what: String) -> SigitError {
        var age = ""
        if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
            let seconds = max(0, Int(Date().timeIntervalSince(modified)))
            age = seconds < 120 ? " (made \(seconds) s ago)" : seconds < 7200 ? " (made \(seconds / 60) min ago)" : " (made \(seconds / 3600) h ago)"
        }
        return .repository("\(path) exists\(age): another git process is \(what), or one was killed while doing so; nothing was written. If no git process is running in this repository, remove that file and run the command again")
    }

    /// Brings the index and working tree in line with the new HEAD after the branch moved to `commit`.
    ///
    /// Retries while another git process holds the index lock; if it stays locked, says that the event was
    /// written and how to finish the update (the note under `.git/sigit/pending` lets the next write finish it).
    func updateWorktree(_ draft: EventDraft, commit: ObjectID) throws {
        let deadline = Date().addingTimeInterval(2)
        while true {
            do {
                try repo.checkoutHead(paths: draft.checkoutPaths)
                if !draft.refreshPaths.isEmpty {
                    try repo.stageFromWorkdir(paths: draft.files.keys.filter { path in draft.refreshPaths.contains { path.hasPrefix($0 + "/") } }.sorted())
                }
                return
            } catch let error as GitError {
                if error.code == .locked, Date() < deadline {
                    usleep(20_000)
                    continue
                }
                let paths = (draft.checkoutPaths + draft.refreshPaths).joined(separator: " ")
                throw SigitError.repository("the event was written (commit \(commit.hex.prefix(12)); the branch moved) but the working tree was not updated: \(error.message); then run git checkout HEAD -- \(paths)")
            }
        }
    }
}
