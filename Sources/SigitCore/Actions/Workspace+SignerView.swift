import Foundation
import GitKit

extension Workspace {
    /// Refuses when the working tree's `agreements/<id>/` differs from the committed folder an `approve` or
    /// `decline` would sign (spec 4, *What a signer sees is what they sign*).
    ///
    /// Edited, deleted, new (also ignored) files, a changed executable bit, a file replaced by a symbolic link or
    /// a folder, and staged changes all count, also for files the index marks assume-unchanged or skip-worktree;
    /// paths outside the folder never do. A bare repository, or one without a working tree, has nothing a signer
    /// could be looking at: nothing to check.
    func refuseUncommittedAgreementFiles(_ id: String) throws {
        let folder = "agreements/" + id
        func changes() throws -> [String] {
            // What git's status sees (the index included), and what is on disk whatever the index claims
            // (`git update-index --assume-unchanged` or `--skip-worktree` hide edits from status).
            let status = try repo.changedPaths(under: [folder], includingIgnored: true).filter { $0 == folder || $0.hasPrefix(folder + "/") }
            let head = try head().map { try repo.commit($0).tree }
            return Array(Set(status).union(try repo.workdirDifferences(folder: folder, tree: head)))
        }
        var changed = try changes()
        if !changed.isEmpty {
            // Another sigit process may be between moving the branch and updating these files (it holds the
            // working-tree lock meanwhile): wait for it and look again, so its write is not taken for local edits.
            changed = try withWorktreeLock { try changes() }
        }
        guard !changed.isEmpty else { return }
        let shown = changed.sorted().prefix(3).map { Name.quoted($0) }.joined(separator: ", ")
        let more = changed.count > 3 ? " and \(changed.count - 3) more" : ""
        throw SigitError.badInput("\(shown)\(more) in the working tree differ from the committed agreement you would sign; commit them with sigit draft \(id) or discard them with git restore/git clean; nothing was written")
    }
}
