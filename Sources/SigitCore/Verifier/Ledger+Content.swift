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

    /// The content digest of an agreement folder tree (cached by tree id).
    func digest(of tree: ObjectID?) throws -> String {
        guard let tree else { return ContentDigest.digest([]) }
        if let cached = digestCache[tree] { return cached }
        var files: [ContentDigest.File] = []
        for entry in try repo.files(tree) {
            let hash: String
            if let cached = blobHashCache[entry.id] { hash = cached } else {
                hash = ContentDigest.sha256Hex(try repo.blob(entry.id))
                Self.remember(hash, for: entry.id, in: &blobHashCache)
            }
            files.append(ContentDigest.File(mode: entry.mode, path: entry.path, sha256: hash))
        }
        let value = ContentDigest.digest(files)
        Self.remember(value, for: tree, in: &digestCache)
        return value
    }

    /// The parsed `agreement.yml` of an agreement folder tree.
    func spec(of tree: ObjectID?, id: String) throws -> Swift.Result<AgreementSpec, SchemaError> {
        let file = "agreements/\(id)/agreement.yml"
        guard Name.isValid(id) else {
            return .failure(SchemaError(file: "agreements/\(id)", line: nil, reason: "the folder name is not a valid agreement id"))
        }
        guard let tree, let entry = try repo.treeEntry(tree, path: AgreementSpec.fileName), !entry.isTree else {
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

    /// Agreement folder entries (name → tree id; nil for a non-folder entry) of a commit tree.
    func agreementEntries(_ tree: ObjectID?) throws -> [String: ObjectID?] {
        guard let tree else { return [:] }
        var out: [String: ObjectID?] = [:]
        for entry in try repo.treeEntries(tree) { out[entry.name] = entry.isTree ? entry.id : nil }
        return out
    }

    /// Changes of a single-parent (or root) commit against the state at its parent.
    func directChanges(tree: ObjectID, base: RepositoryState) throws -> (ProtectedChanges, ObjectID?, ObjectID?) {
        var changes = ProtectedChanges()
        let sigit = try repo.treeEntry(tree, path: ".sigit")
        let agreements = try repo.treeEntry(tree, path: "agreements")
        let sigitTree = sigit?.isTree == true ? sigit?.id : nil
        let agreementsTree = agreements?.isTree == true ? agreements?.id : nil
        if agreements != nil && agreementsTree == nil { changes.strayAgreementPaths.append("agreements") }
        if sigit != nil && sigitTree == nil { changes.otherSigit.append(".sigit") }
        if sigitTree != base.sigitTree {
            let old = try base.sigitTree.map { try Dictionary(uniqueKeysWithValues: repo.files($0).map { ($0.path, $0.id) }) } ?? [:]
            let new = try sigitTree.map { try Dictionary(uniqueKeysWithValues: repo.files($0).map { ($0.path, $0.id) }) } ?? [:]
            for path in Set(old.keys).union(new.keys) where old[path] != new[path] { changes.add(path: ".sigit/" + path) }
        }
        if agreementsTree != base.agreementsTree {
            let new = try agreementEntries(agreementsTree)
            var old: [String: ObjectID?] = [:]
            for (id, track) in base.agreements { old[id] = track.treeID }
            for name in Set(old.keys).union(new.keys) {
                let before = old[name] ?? nil
                let after = new[name] ?? nil
                if before != after || (old[name] == nil) != (new[name] == nil) { changes.agreements.insert(name) }
            }
        }
        return (changes, sigitTree, agreementsTree)
    }

    /// Paths under `.sigit/` and `agreements/` where a merge differs from the clean file-level three-way merge (spec section 2).
    func mergeChanges(tree: ObjectID, parents: [CommitFacts]) throws -> ProtectedChanges {
        var base: ObjectID? = parents.first?.id
        for parent in parents.dropFirst() {
            guard let current = base else { break }
            base = try repo.mergeBase(current, parent.id)
        }
        let baseTree = try base.map { try repo.commit($0).tree }
        var changes = ProtectedChanges()
        for top in [".sigit", "agreements"] {
            let mergeEntry = try entry(tree, top)
            let parentEntries = try parents.map { try entry($0.tree, top) }
            let baseEntry = try baseTree.flatMap { try entry($0, top) }
            for path in try mismatches(path: top, merge: mergeEntry, parents: parentEntries, base: baseEntry) {
                changes.add(path: path)
            }
        }
        return changes
    }

    private func entry(_ tree: ObjectID, _ path: String) throws -> TreeEntry? { try repo.treeEntry(tree, path: path) }

    private func mismatches(path: String, merge: TreeEntry?, parents: [TreeEntry?], base: TreeEntry?) throws -> [String] {
        func same(_ a: TreeEntry?, _ b: TreeEntry?) -> Bool { a?.id == b?.id && a?.mode == b?.mode }
        let changed = parents.filter { !same($0, base) }
        var expected: TreeEntry?? = .some(base)
        if let first = changed.first {
            expected = changed.allSatisfy({ same($0, first) }) ? .some(first) : nil
        }
        if let expected, same(merge, expected) { return [] }
        let trees = ([merge, base] + parents).compactMap { $0 }
        guard trees.allSatisfy(\.isTree) else { return [path] }
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
            out += try mismatches(path: path + "/" + name, merge: mergeChildren[name], parents: parentChildren.map { $0[name] }, base: baseChildren[name])
        }
        return out
    }
}
