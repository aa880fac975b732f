import Foundation

extension Repository {
    /// How deep `workdirDifferences` follows folders, on disk and in the tree; a deeper folder counts as a difference.
    static let workdirDepthLimit = 64

    /// Paths below `folder` (relative to the working directory) where the working tree, as it is on disk, differs
    /// from `tree` (usually HEAD's): a file with other content (after git's clean filters, as `git add` would see
    /// it), another executable bit (unless `core.fileMode` is false), a file missing on disk or not in the tree, and
    /// anything on disk that is not a regular file or folder (a symbolic link, a fifo) at or below `folder`.
    ///
    /// Unlike `changedPaths(under:)` this reads the files themselves, not the index: an index entry marked
    /// `--assume-unchanged` or `--skip-worktree` hides nothing. Sorted; empty when bare or when both sides are empty.
    public func workdirDifferences(folder: String, tree: ObjectID?) throws -> [String] {
        guard let workdir else { return [] }
        var differing: Set<String> = []
        var committed: [String: FileEntry] = [:]
        if let tree, let top = try treeEntry(tree, path: folder) {
            if top.isTree {
                var pending = [(top.id, folder, 0)]
                while let (id, prefix, depth) = pending.popLast() {
                    guard depth < Self.workdirDepthLimit else {
                        differing.insert(prefix)
                        continue
                    }
                    for entry in try treeEntries(id) {
                        let path = prefix + "/" + entry.name
                        if entry.isTree { pending.append((entry.id, path, depth + 1)) } else { committed[path] = FileEntry(path: path, id: entry.id, mode: entry.mode) }
                    }
                }
            } else {
                committed[folder] = FileEntry(path: folder, id: top.id, mode: top.mode)
            }
        }
        let modesMatter = !["false", "no", "off", "0"].contains((try configString("core.filemode"))?.lowercased() ?? "true")
        var seen: Set<String> = []
        var pending = [(folder, 0)]
        while let (path, depth) = pending.popLast() {
            var info = stat()
            guard lstat(workdir + "/" + path, &info) == 0 else { continue }  // nothing there: missing files are found below
            switch UInt32(info.st_mode) & 0o170000 {
            case 0o040000:
                guard depth < Self.workdirDepthLimit else {
                    differing.insert(path)
                    continue
                }
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: workdir + "/" + path) else {
                    differing.insert(path)
                    continue
                }
                for name in names { pending.append((path + "/" + name, depth + 1)) }
            case 0o100000:
                seen.insert(path)
                guard let entry = committed[path], entry.mode == 0o100644 || entry.mode == 0o100755 else {
                    differing.insert(path)
                    continue
                }
                let executable = UInt32(info.st_mode) & 0o100 != 0
                if modesMatter, executable != (entry.mode == 0o100755) {
                    differing.insert(path)
                } else if try workdirBlobID(path) != entry.id {
                    differing.insert(path)
                }
            default:
                seen.insert(path)
                differing.insert(path)
            }
        }
        for path in committed.keys where !seen.contains(path) { differing.insert(path) }
        return differing.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
