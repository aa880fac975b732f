import Foundation
import GitKit

/// The protected part of one commit's tree (`.sigit/` and `agreements/`), flattened by an iterative walk with a depth
/// limit: every non-tree entry by path, and the paths that are hostile objects (spec 2: not a regular file, or deeper
/// than 32 levels).
struct ModelTree {
    /// One non-tree entry.
    struct Entry: Hashable {
        var id: ObjectID
        var mode: UInt32
    }
    /// Deepest tree level allowed below `.sigit/` or `agreements/`.
    static let depthLimit = 32

    var files: [String: Entry] = [:]
    /// Hostile entries: path → entry (a too-deep tree is reported at the first level past the limit).
    var hostile: [String: Entry] = [:]
    /// Non-folder entries directly under `agreements/` (they belong to no agreement).
    var strays: Set<String> = []

    static func read(_ repo: Repository, tree: ObjectID) throws -> ModelTree {
        var out = ModelTree()
        let top = try repo.treeEntries(tree)
        var stack: [(path: String, id: ObjectID, depth: Int)] = []
        for entry in top where entry.name == ".sigit" || entry.name == "agreements" {
            if entry.isTree {
                stack.append((entry.name, entry.id, 0))
            } else {
                out.hostile[entry.name] = Entry(id: entry.id, mode: entry.mode)
            }
        }
        while let (path, id, depth) = stack.popLast() {
            for entry in try repo.treeEntries(id) {
                let child = path + "/" + entry.name
                let value = Entry(id: entry.id, mode: entry.mode)
                if entry.isTree {
                    if depth + 1 > depthLimit {
                        out.hostile[child] = value
                    } else {
                        stack.append((child, entry.id, depth + 1))
                    }
                } else if entry.mode == 0o100644 || entry.mode == 0o100755 {
                    out.files[child] = value
                    if path == "agreements" { out.strays.insert(child) }
                } else {
                    out.hostile[child] = value
                }
            }
        }
        return out
    }

    /// The agreement id of a path under `agreements/<id>/`, nil otherwise.
    static func agreement(of path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "agreements" else { return nil }
        return String(parts[1])
    }

    /// Files of agreement `id` relative to its folder.
    func files(of id: String) -> [String: Entry] {
        let prefix = "agreements/\(id)/"
        var out: [String: Entry] = [:]
        for (path, entry) in files where path.hasPrefix(prefix) { out[String(path.dropFirst(prefix.count))] = entry }
        return out
    }

    /// Whether agreement `id` holds a hostile entry.
    func isHostile(_ id: String) -> Bool {
        hostile.keys.contains { $0.hasPrefix("agreements/\(id)/") }
    }

    /// Agreement ids that have anything in this tree.
    var agreementIDs: Set<String> {
        Set((Array(files.keys) + Array(hostile.keys)).compactMap(Self.agreement(of:)))
    }
}
