import Foundation
internal import CLibgit2

extension Repository {
    /// Creates a new bare repository at `path` holding exactly the history of `tips` (their commits,
    /// trees and blobs) plus `objects` (e.g. annotated tags, each with what it points to), as one pack,
    /// with `references` (full names, e.g. "refs/heads/main", "refs/tags/v1") created in it.
    ///
    /// HEAD points to `head` when given, else to refs/heads/main when exported, else to the first
    /// exported branch in byte order. An existing non-empty folder at `path` is refused; on failure
    /// whatever this call created at `path` is removed again.
    public func exportBare(to path: String, tips: [ObjectID], objects: [ObjectID] = [],
                           references: [String: ObjectID], head: String? = nil) throws {
        let operation = "export a bare repository to \(path)"
        let headName = try Self.exportHead(head, references: references, operation: operation)
        let existed = try Self.checkExportTarget(path, operation: operation)
        do {
            let target = try Repository.initialize(path, bare: true, initialBranch: String(headName.dropFirst("refs/heads/".count)))
            try writePack(into: target.gitDir + "/objects/pack", tips: tips, objects: objects, operation: operation)
            for (name, id) in references.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                var oid = id.oid
                var reference: OpaquePointer?
                let result = git_reference_create(&reference, target.pointer, name, &oid, 0, "sigit: export")
                if let reference { git_reference_free(reference) }
                try GitError.check(result, "create \(name) in the repository exported to \(path)")
            }
        } catch {
            Self.removeExport(path, existed: existed)
            throw error
        }
    }

    /// Packs the objects of the export and writes the pack and its index into folder `packDirectory`.
    private func writePack(into packDirectory: String, tips: [ObjectID], objects: [ObjectID], operation: String) throws {
        var builder: OpaquePointer?
        try GitError.check(git_packbuilder_new(&builder, pointer), operation)
        defer { git_packbuilder_free(builder) }
        var walker: OpaquePointer?
        try GitError.check(git_revwalk_new(&walker, pointer), operation)
        defer { git_revwalk_free(walker) }
        for tip in tips {
            var oid = tip.oid
            try GitError.check(git_revwalk_push(walker, &oid), "export the history of \(tip)")
        }
        try GitError.check(git_packbuilder_insert_walk(builder, walker), "pack the history to \(operation)")
        for object in objects {
            var oid = object.oid
            // insert_recur also packs what the object points to (a tag's target; a commit's tree).
            try GitError.check(git_packbuilder_insert_recur(builder, &oid, nil), "pack object \(object) to \(operation)")
        }
        guard git_packbuilder_object_count(builder) > 0 else { return }
        try GitError.check(git_packbuilder_write(builder, packDirectory, 0, nil, nil), "write the pack to \(operation)")
    }

    /// The full branch name HEAD of the export points to.
    private static func exportHead(_ head: String?, references: [String: ObjectID], operation: String) throws -> String {
        let branches = references.keys.filter { $0.hasPrefix("refs/heads/") }
        if let head {
            guard branches.contains(head) else {
                throw GitError(code: .invalidSpec, operation: operation, message: "HEAD should name an exported branch, not \(head)")
            }
            return head
        }
        if branches.contains("refs/heads/main") { return "refs/heads/main" }
        return branches.min { $0.utf8.lexicographicallyPrecedes($1.utf8) } ?? "refs/heads/main"
    }

    /// Refuses a target that is a file or a non-empty folder; true when an (empty) folder was already there.
    private static func checkExportTarget(_ path: String, operation: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        let contents = isDirectory.boolValue ? try? FileManager.default.contentsOfDirectory(atPath: path) : nil
        guard let contents, contents.isEmpty else {
            throw GitError(code: .exists, operation: operation, message: "\(path) already exists and is not an empty folder")
        }
        return true
    }

    /// Removes what a failed export created: the folder, or only its contents when it existed before.
    private static func removeExport(_ path: String, existed: Bool) {
        guard existed else {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }
}
