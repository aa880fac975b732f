/// What a commit changes under the protected paths, relative to its parent or its clean merge result.
struct ProtectedChanges {
    /// `.sigit/policy.yml` changed.
    var policy = false
    /// Other paths under `.sigit/` that changed (besides `allowed_signers` next to a policy change).
    var otherSigit: [String] = []
    /// `.sigit/allowed_signers` changed.
    var allowedSigners = false
    /// Paths under `.sigit/timestamps/` that changed (spec section 8: only `timestamp` events add them).
    var timestamps: [String] = []
    /// Agreement folders whose content changed.
    var agreements: Set<String> = []
    /// The `agreements` entry itself was replaced by something that is not a folder.
    var strayAgreementPaths: [String] = []
    /// Paths under `.sigit/` or `agreements/` that hold something other than a regular file (a link, a submodule)
    /// or trees nested too deep, with what is wrong (spec section 2, *Hostile objects*).
    var malformed: [String: String] = [:]

    /// The agreement id a path under `agreements/` belongs to.
    static func agreement(of path: String) -> String? {
        guard path.hasPrefix("agreements/") else { return nil }
        let rest = path.dropFirst("agreements/".count)
        let name = rest.firstIndex(of: "/").map { String(rest[..<$0]) } ?? String(rest)
        return name.isEmpty ? nil : name
    }

    var isEmpty: Bool { !policy && otherSigit.isEmpty && !allowedSigners && timestamps.isEmpty && agreements.isEmpty && strayAgreementPaths.isEmpty }

    /// Files a path list touches, sorted into the buckets above.
    mutating func add(path: String) {
        if path == ".sigit/policy.yml" { policy = true }
        else if path == ".sigit/allowed_signers" { allowedSigners = true }
        else if TimestampFiles.contains(path) { timestamps.append(path) }
        else if path.hasPrefix(".sigit/") || path == ".sigit" { otherSigit.append(path) }
        else if path.hasPrefix("agreements/") {
            let rest = path.dropFirst("agreements/".count)
            let name = rest.firstIndex(of: "/").map { String(rest[..<$0]) } ?? String(rest)
            agreements.insert(name)
        } else if path == "agreements" { strayAgreementPaths.append(path) }
    }
}
