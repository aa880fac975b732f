import Dispatch
import Foundation
import SigitCore

/// Serializes all repository work of the server on one queue: `Workspace` is not thread-safe, so each job opens its
/// own workspace on the queue and nothing of it leaves the job but `Sendable` values.
final class RepositoryGate: Sendable {
    /// The repository's path.
    let path: String
    private let queue = DispatchQueue(label: "sigit.serve.repository")

    /// A gate over the repository at `path`.
    init(path: String) {
        self.path = path
    }

    /// Runs `job` on a fresh workspace, after every job started before it.
    func run<T: Sendable>(_ job: @escaping @Sendable (Workspace) throws -> T) async throws -> T {
        let path = self.path
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let workspace = try Workspace(path: path)
                    workspace.keepsEntries = false
                    workspace.useSnapshot = true
                    return try job(workspace)
                })
            }
        }
    }
}
