import Foundation
import GitKit

extension Workspace {
    /// The certificate of agreement `id` as of `revision` (default HEAD), from verified history.
    public func certificate(id: String, revision: String? = nil, now: Date = Date(), generator: String) throws -> Certificate {
        try Name.check(id, "agreement id")
        let commit = try resolve(revision)
        let result = try ledger(tip: commit)
        return try Certificate.build(id: id, result: result, commit: commit, repo: repo, now: now, generator: generator)
    }

    /// A revision resolved to a commit (HEAD when nil), with a plain error when it names nothing.
    func resolve(_ revision: String?) throws -> ObjectID {
        guard let revision else {
            guard let head = try head() else { throw SigitError.repository("the branch has no commits yet; run sigit init first") }
            return head
        }
        do {
            return try repo.revparse(revision)
        } catch {
            throw SigitError.badInput("\(TerminalText.safe(revision)) names no commit")
        }
    }

    /// Writes `data` to `path` atomically (a reader sees the old file or the new one), with a plain error.
    public static func writeFile(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SigitError.badInput("cannot write \(TerminalText.safe(path)): \(oneLine(error))")
        }
    }
}
