import Foundation
import GitKit

extension Ledger {
    /// How many answers each content cache keeps: they serve the same tree or blob seen again soon (both sides of a
    /// merge, a revert), so when one is full it starts over, and a long walk's memory does not grow with them.
    static let contentCacheLimit = 4096

    /// Stores `value` in a content cache, emptying the cache first when it is full.
    static func remember<Value>(_ value: Value, for key: ObjectID, in cache: inout [ObjectID: Value]) {
        if cache.count >= contentCacheLimit { cache.removeAll() }
        cache[key] = value
    }

    /// How deep trees may nest under `.sigit/` and `agreements/` (spec section 2, *Hostile objects*), counted from
    /// those folders.
    static let maxTreeDepth = 32

    /// The content digest of an agreement folder tree (cached by tree id). Never reads what is not a regular file
    /// and never follows trees past the depth limit: such content is `malformed-object` and never counted, and its
    /// digest only has to differ from any real one.
    func digest(of tree: ObjectID?) throws -> String {
        guard let tree else { return ContentDigest.digest([]) }
        if let cached = digestCache[tree] { return cached }
        let listing = try repo.fileListing(tree, maxDepth: Self.maxTreeDepth - 1)
        var files: [ContentDigest.File] = []
        for entry in listing.files {
            let hash: String
            if entry.mode != 0o100644 && entry.mode != 0o100755 {
                hash = "irregular-" + entry.id.hex
            } else if let cached = blobHashCache[entry.id] { hash = cached } else {
                hash = ContentDigest.sha256Hex(try repo.blob(entry.id))
                Self.remember(hash, for: entry.id, in: &blobHashCache)
            }
            files.append(ContentDigest.File(mode: entry.mode, path: entry.path, sha256: hash))
        }
        if let deep = listing.tooDeep { files.append(ContentDigest.File(mode: 0o040000, path: deep, sha256: "too-deep")) }
        let value = ContentDigest.digest(files)
        Self.remember(value, for: tree, in: &digestCache)
        if shapeCache[tree] == nil { Self.remember(Self.problems(in: listing), for: tree, in: &shapeCache) }
        return value
    }

    /// What is wrong with the shape of a listing (paths relative to the listed tree).
    static func problems(in listing: FileListing) -> [String: String] {
        var problems: [String: String] = [:]
        for entry in listing.files where !entry.isRegular {
            problems[entry.path] = entry.mode == 0o120000 ? "a symbolic link" : entry.mode == 0o160000 ? "a submodule (gitlink)" : "an entry of mode \(String(entry.mode, radix: 8))"
        }
        if let deep = listing.tooDeep { problems[deep] = "trees nested deeper than \(maxTreeDepth) levels" }
        return problems
    }

    /// What is wrong with the shape of an agreement folder tree (a link, a submodule, trees too deep), by path under
    /// `path`; empty when it holds only regular files within the depth limit. Found by the same listing as the
    /// folder's digest (which the ledger needs anyway) and cached by tree id.
    func shapeProblems(of tree: ObjectID, path: String) throws -> [String: String] {
        if shapeCache[tree] == nil { _ = try digest(of: tree) }
        if shapeCache[tree] == nil { Self.remember(Self.problems(in: try repo.fileListing(tree, maxDepth: Self.maxTreeDepth - 1)), for: tree, in: &shapeCache) }
        return (shapeCache[tree] ?? [:]).mapKeys { path + "/" + $0 }
    }

    /// The parsed `agreement.yml` of an agreement folder tree.
    func spec(of tree: ObjectID?, id: String) throws -> Swift.Result<AgreementSpec, SchemaError> {
        let file = "agreements/\(id)/agreement.yml"
        guard Name.isValid(id) else {
            return .failure(SchemaError(file: "agreements/\(id)", line: nil, reason: "the folder name is not a valid agreement id"))
        }
        guard let tree, let entry = try repo.treeEntry(tree, path: AgreementSpec.fileName), entry.isFile else {
            return .failure(SchemaError(file: file, line: nil, reason: "the agreement has no agreement.yml"))
        }
        if let cached = specCache[entry.id] { return cached }
        let result: Swift.Result<AgreementSpec, SchemaError>
        do {
            result = .success(try AgreementSpec(yaml: try repo.blob(entry.id), file: file))
        } catch let error as SchemaError {
            result = .failure(error)
        } catch {
            result = .failure(SchemaError(file: file, line: nil, reason: "cannot be read"))
        }
        Self.remember(result, for: entry.id, in: &specCache)
        return result
    }

    /// The parsed policy file of a blob.
    func policy(blob: ObjectID) throws -> Swift.Result<Policy, SchemaError> {
        if let cached = policyCache[blob] { return cached }
        let result: Swift.Result<Policy, SchemaError>
        do {
            result = .success(try Policy(yaml: try repo.blob(blob)))
        } catch let error as SchemaError {
            result = .failure(error)
        } catch {
            result = .failure(SchemaError(file: Policy.path, line: nil, reason: "cannot be read"))
        }
        policyCache[blob] = result
        return result
    }

    /// The entry `id` of the `agreements/` tree: nil when there is none, `.some(nil)` when it is not a folder, else the
    /// folder's tree (one lookup, not a listing of every agreement).
    func agreementEntry(_ tree: ObjectID?, _ id: String) throws -> ObjectID?? {
        guard let tree else { return nil }
        // The `agreements/` tree holds every agreement (thousands of entries): listed once per tree, not parsed
        // again for each agreement a commit changes.
        if agreementsListing?.tree != tree {
            var entries: [String: ObjectID?] = [:]
            for entry in try repo.treeEntries(tree) { entries[entry.name] = entry.isTree ? entry.id : nil }
            agreementsListing = (tree, entries)
        }
        guard let listing = agreementsListing else { return nil }
        return listing.entries[id]
    }

    /// Changes of a commit against the state at its parent (for a merge: at its first parent, as joined), with
    /// what is malformed in what changed.
    func directChanges(tree: ObjectID, base: RepositoryState, commit: ObjectID) throws -> (ProtectedChanges, ObjectID?, ObjectID?) {
        var changes = ProtectedChanges()
        let sigit = try repo.treeEntry(tree, path: ".sigit")
        let agreements = try repo.treeEntry(tree, path: "agreements")
        let sigitTree = sigit?.isTree == true ? sigit?.id : nil
        let agreementsTree = agreements?.isTree == true ? agreements?.id : nil
        if agreements != nil && agreementsTree == nil { changes.strayAgreementPaths.append("agreements") }
        if sigit != nil && sigitTree == nil { changes.otherSigit.append(".sigit") }
        if sigitTree != base.sigitTree {
            func listing(_ tree: ObjectID?) throws -> FileListing? { try tree.map { try repo.fileListing($0, maxDepth: Self.maxTreeDepth) } }
            let newListing = try listing(sigitTree)
            let old = Dictionary(try listing(base.sigitTree)?.files.map { ($0.path, $0.id) } ?? [], uniquingKeysWith: { a, _ in a })
            let new = Dictionary(newListing?.files.map { ($0.path, $0.id) } ?? [], uniquingKeysWith: { a, _ in a })
            for path in Set(old.keys).union(new.keys) where old[path] != new[path] { changes.add(path: ".sigit/" + path) }
            for entry in newListing?.files ?? [] where !entry.isRegular && old[entry.path] != entry.id {
                changes.malformed[".sigit/" + entry.path] = entry.mode == 0o120000 ? "a symbolic link" : "not a regular file (mode \(String(entry.mode, radix: 8)))"
            }
            if let deep = newListing?.tooDeep {
                changes.add(path: ".sigit/" + deep)
                changes.malformed[".sigit/" + deep] = "trees nested deeper than \(Self.maxTreeDepth) levels"
            }
        }
        if agreementsTree != base.agreementsTree {
            let newEntries = try agreementsTree.map { try repo.treeEntries($0) } ?? []
            var old: [String: ObjectID?] = [:]
            for (id, track) in base.agreements { old[id] = track.treeID }
            var new: [String: ObjectID?] = [:]
            for entry in newEntries { new[entry.name] = entry.isTree ? entry.id : nil }
            if let agreementsTree { agreementsListing = (agreementsTree, new) }
            for name in Set(old.keys).union(new.keys) {
                let before = old[name] ?? nil
                let after = new[name] ?? nil
                if before != after || (old[name] == nil) != (new[name] == nil) { changes.agreements.insert(name) }
            }
            for entry in newEntries where changes.agreements.contains(entry.name) {
                if entry.isTree {
                    for (path, problem) in try shapeProblems(of: entry.id, path: "agreements/" + entry.name) { changes.malformed[path] = problem }
                } else if !entry.isFile {
                    changes.malformed["agreements/" + entry.name] = entry.isSymlink ? "a symbolic link" : "not a regular file or folder (mode \(String(entry.mode, radix: 8)))"
                }
            }
        }
        return (changes, sigitTree, agreementsTree)
    }

    /// Paths under `.sigit/` and `agreements/` where a merge differs from the clean file-level three-way merge (spec section 2).
    ///
    /// A merge of unrelated histories (`related` false: a parent without the trust root, or no merge base) is never
    /// clean: every path where the merge differs from any parent is a change.
    func mergeChanges(tree: ObjectID, parents: [CommitFacts], related: Bool) throws -> ProtectedChanges {
        var base: ObjectID? = parents.first?.id
        for parent in parents.dropFirst() {
            guard let current = base else { break }
            base = (try? repo.mergeBase(current, parent.id)) ?? nil
        }
        var changes = ProtectedChanges()
        guard related, let base else {
            for top in [".sigit", "agreements"] {
                let mergeEntry = try entry(tree, top)
                for parent in parents {
                    let parentEntry = try entry(parent.tree, top)
                    for path in try mismatches(path: top, merge: mergeEntry, parents: [parentEntry], base: parentEntry, depth: 0) { changes.add(path: path) }
                }
            }
            return changes
        }
        let baseTree: ObjectID? = (try? repo.commit(base).tree) ?? (try? repo.rawCommitHeader(base).tree) ?? nil
        for top in [".sigit", "agreements"] {
            let mergeEntry = try entry(tree, top)
            let parentEntries = try parents.map { try entry($0.tree, top) }
            let baseEntry = try baseTree.flatMap { try entry($0, top) }
            for path in try mismatches(path: top, merge: mergeEntry, parents: parentEntries, base: baseEntry, depth: 0) {
                if TimestampFiles.contains(path), try keepsParentToken(path, tree: tree, parents: parents) { continue }
                changes.add(path: path)
            }
        }
        return changes
    }

    /// Two sides that each stamped the same event conflict on its token file (spec section 8). A merge that keeps
    /// either side's token there changes nothing the state does not already join (the earlier genTime counts, read
    /// from the commit that added it), so it stays clean.
    func keepsParentToken(_ path: String, tree: ObjectID, parents: [CommitFacts]) throws -> Bool {
        guard TimestampFiles.event(at: path) != nil, let kept = try repo.treeEntry(tree, path: path), kept.isFile else { return false }
        return try parents.contains { try repo.treeEntry($0.tree, path: path) == kept }
    }

    private func entry(_ tree: ObjectID, _ path: String) throws -> TreeEntry? { try repo.treeEntry(tree, path: path) }

    private func mismatches(path: String, merge: TreeEntry?, parents: [TreeEntry?], base: TreeEntry?, depth: Int) throws -> [String] {
        func same(_ a: TreeEntry?, _ b: TreeEntry?) -> Bool { a?.id == b?.id && a?.mode == b?.mode }
        let changed = parents.filter { !same($0, base) }
        var expected: TreeEntry?? = .some(base)
        if let first = changed.first {
            expected = changed.allSatisfy({ same($0, first) }) ? .some(first) : nil
        }
        if let expected, same(merge, expected) { return [] }
        let trees = ([merge, base] + parents).compactMap { $0 }
        // Past the depth limit a difference is a change as a whole (and the shape check reports the nesting).
        guard trees.allSatisfy(\.isTree), depth <= Self.maxTreeDepth else { return [path] }
        func children(_ entry: TreeEntry?) throws -> [String: TreeEntry] {
            guard let entry else { return [:] }
            return Dictionary(try repo.treeEntries(entry.id).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let mergeChildren = try children(merge)
        let parentChildren = try parents.map { try children($0) }
        let baseChildren = try children(base)
        var names = Set(mergeChildren.keys).union(baseChildren.keys)
        for c in parentChildren { names.formUnion(c.keys) }
        var out: [String] = []
        for name in names.sorted() {
            out += try mismatches(path: path + "/" + name, merge: mergeChildren[name], parents: parentChildren.map { $0[name] }, base: baseChildren[name], depth: depth + 1)
        }
        return out
    }
}
