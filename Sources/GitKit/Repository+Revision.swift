extension Repository {
    /// `spec` with its leading reference name written in full when it names a branch or a tag.
    ///
    /// Git and libgit2 try `refs/tags/<name>` before `refs/heads/<name>`, so a pushed tag `main` would make `main`
    /// (and `main~1`, `main^{tree}`) name the tag. Here the name before the first `~`, `^`, `:` or `@{` is looked up
    /// as `refs/heads/<name>`, then `refs/tags/<name>`; a name that already says its namespace (`heads/x`,
    /// `tags/x`, `remotes/x`) is tried as `refs/<name>` first, as git does. Left as written (git's own reading):
    /// a full name (`refs/...`), `HEAD` and the other all-capital pseudo references (`FETCH_HEAD`), `@`, a full
    /// object id, and a name no branch or tag has (a short object id, a remote-tracking branch).
    func disambiguated(_ spec: String) -> String {
        let name = Self.leadingName(spec)
        let rest = spec.dropFirst(name.count)
        guard !name.isEmpty, name != "@", !name.hasPrefix("refs/"), !Self.isPseudoReference(name), !Self.isFullObjectID(name) else {
            return spec
        }
        var candidates = ["refs/heads/" + name, "refs/tags/" + name]
        if name.hasPrefix("heads/") || name.hasPrefix("tags/") || name.hasPrefix("remotes/") { candidates.insert("refs/" + name, at: 0) }
        for candidate in candidates where (try? resolveReference(candidate)) != nil {
            return candidate + rest
        }
        return spec
    }

    /// The reference name a revision spec starts with: everything before `~`, `^`, `:` or `@{` (none of which a
    /// reference name may contain).
    static func leadingName(_ spec: String) -> String {
        var name = ""
        var previous: Character?
        for character in spec {
            if character == "~" || character == "^" || character == ":" { break }
            if character == "{", previous == "@" {
                name.removeLast()
                break
            }
            name.append(character)
            previous = character
        }
        return name
    }

    /// `HEAD`, `FETCH_HEAD`, `ORIG_HEAD`, ...: names git reads from the git directory before any namespace.
    static func isPseudoReference(_ name: String) -> Bool {
        name.hasSuffix("HEAD") && name.allSatisfy { ("A"..."Z").contains($0) || $0 == "_" }
    }

    /// A complete hexadecimal object id, which git reads as an id before any reference.
    static func isFullObjectID(_ name: String) -> Bool {
        name.utf8.count == 40 && name.allSatisfy(\.isHexDigit)
    }
}
