import Foundation
internal import CLibgit2

extension Repository {
    /// The raw bytes of object `id` and whether it is a commit.
    func rawObject(_ id: ObjectID) throws -> (bytes: [UInt8], isCommit: Bool) {
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, pointer), "open the object database")
        defer { git_odb_free(odb) }
        var oid = id.oid
        var object: OpaquePointer?
        try GitError.check(git_odb_read(&object, odb, &oid), "read object \(id)")
        defer { git_odb_object_free(object) }
        let size = git_odb_object_size(object)
        let isCommit = git_odb_object_type(object) == GIT_OBJECT_COMMIT
        guard size > 0, let data = git_odb_object_data(object) else { return ([], isCommit) }
        let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
        return (bytes, isCommit)
    }

    /// The bytes of commit `id` exactly as `git cat-file commit` prints them (signed payload and `gpgsig` header: what
    /// a time-stamp token's imprint hashes, spec section 8); throws when `id` is not a commit.
    public func commitObject(_ id: ObjectID) throws -> Data {
        let object = try rawObject(id)
        guard object.isCommit else { throw GitError(code: .notFound, operation: "read commit \(id)", message: "the object is not a commit") }
        return Data(object.bytes)
    }

    /// The tree and parents of commit `id` read from its raw bytes, even when libgit2 cannot parse the commit.
    public func rawCommitHeader(_ id: ObjectID) throws -> RawCommitHeader {
        let object = try rawObject(id)
        guard object.isCommit else {
            throw GitError(code: .other(-1), operation: "read commit \(id)", message: "the object is not a commit")
        }
        return RawCommitHeader(raw: object.bytes)
    }

    /// Commits reachable from `tips` and not from `hiding`, parents before children when `reverse` (children first
    /// otherwise), found from the raw commit headers without recursion. Slower than libgit2's walk; used when that
    /// walk cannot parse a commit. Parents that are missing or not commits are left out.
    func robustWalk(from tips: [ObjectID], hiding: [ObjectID], reverse: Bool) throws -> [ObjectID] {
        var headers: [ObjectID: [ObjectID]] = [:]
        func parents(_ id: ObjectID) -> [ObjectID] {
            if let known = headers[id] { return known }
            let found = ((try? exists(id)) == true ? try? rawCommitHeader(id) : nil)?.parents ?? []
            headers[id] = found
            return found
        }
        func reachable(_ starts: [ObjectID]) -> Set<ObjectID> {
            var seen = Set<ObjectID>()
            var stack = starts.filter { (try? rawCommitHeader($0)) != nil }
            while let id = stack.popLast() {
                guard seen.insert(id).inserted else { continue }
                for parent in parents(id) where !seen.contains(parent) && (try? exists(parent)) == true { stack.append(parent) }
            }
            return seen
        }
        let hidden = reachable(hiding)
        let wanted = reachable(tips).subtracting(hidden)
        // Post-order depth-first search: a commit is emitted after all its (wanted) parents.
        var order: [ObjectID] = []
        var done = Set<ObjectID>()
        for tip in tips where wanted.contains(tip) {
            var stack: [(ObjectID, Bool)] = [(tip, false)]
            while let (id, expanded) = stack.popLast() {
                if done.contains(id) { continue }
                if expanded {
                    done.insert(id)
                    order.append(id)
                    continue
                }
                stack.append((id, true))
                for parent in parents(id).reversed() where wanted.contains(parent) && !done.contains(parent) { stack.append((parent, false)) }
            }
        }
        return reverse ? order : order.reversed()
    }
}
