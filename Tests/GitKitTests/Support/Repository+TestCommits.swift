import Foundation
import GitKit

extension Repository {
    /// The author and committer of commits the tests make through GitKit, at `time`.
    static func testSignature(time: Int64 = 1_700_000_000) -> Signature {
        Signature(name: "Alice Example", email: "alice@example.com", time: time, offsetMinutes: 60)
    }

    /// Writes an unsigned commit whose tree is the first parent's (or empty) with `files`
    /// added, and returns it; no reference moves.
    func makeCommit(_ files: [String: String] = [:], parents: [ObjectID] = [], message: String,
                    time: Int64 = 1_700_000_000) throws -> ObjectID {
        let buffer = try makeCommitBuffer(files, parents: parents, message: message, time: time)
        return try createCommit(buffer: buffer, signature: nil)
    }

    /// The commit buffer `makeCommit` would store, for tests that sign it first.
    func makeCommitBuffer(_ files: [String: String] = [:], parents: [ObjectID] = [], message: String,
                          time: Int64 = 1_700_000_000) throws -> Data {
        let base = try parents.first.map { try commit($0).tree }
        let updates = try files.sorted { $0.key < $1.key }.map { path, text in
            TreeUpdate.upsert(path: path, blob: try writeBlob(Data(text.utf8)), mode: 0o100644)
        }
        let tree = try updatedTree(base: base, updates)
        let who = Self.testSignature(time: time)
        return try commitBuffer(tree: tree, parents: parents, author: who, committer: who, message: message)
    }
}
