extension RefUpdate {
    /// The namespaces the hook accepts without an `--allow-ref` pattern: branches (judged by the rules of
    /// `sigit verify`) and seals.
    public static let acceptedPrefixes = ["refs/heads/", "refs/tags/sigit/"]

    /// Why a reference outside the accepted namespaces is refused even when a pattern matches it; nil when a
    /// pattern may allow it.
    ///
    /// `refs/replace/<id>` makes stock git show another object wherever `<id>` is named (`git show`, `git log`,
    /// a checkout), while signatures and sigit read the object as signed.
    public var forbiddenReason: String? {
        if ref.hasPrefix("refs/replace/") {
            return "replace references are refused: stock git would show the replacement object wherever the original is named (git show, git log, checkout), while signatures and sigit read the signed one"
        }
        return nil
    }

    /// Why a reference outside the accepted namespaces is refused when no `--allow-ref` pattern matches it.
    public var unlistedReason: String {
        if ref.hasPrefix("refs/notes/") {
            return "notes are refused: git log prints them under the commit message, as if part of the signed event; an admin can allow them (sigit hook install --allow-ref 'refs/notes/*')"
        }
        return "only branches (refs/heads/*) and seals (refs/tags/sigit/*) are accepted here; an admin can allow more (sigit hook install --allow-ref PATTERN)"
    }

    /// The protected branch (or `HEAD`, spelt so) this reference could be read as, when it is not that branch itself; nil
    /// when it shadows none.
    ///
    /// Git reads a short name `main` as `main`, `refs/main`, `refs/tags/main`, `refs/heads/main`,
    /// `refs/remotes/main`, in that order, so a tag `main` wins over the branch; sigit reads branches first, but
    /// stock git, hosting services and other tools do not. Shadows are found by peeling `refs/`, `heads/`,
    /// `tags/` and `remotes/[<remote>/]` off the name as often as they lead it (`refs/heads/refs/heads/main`,
    /// `refs/remotes/origin/main`, `refs/tags/main` all come down to `main`), compared without regard to case
    /// (on a case-insensitive file system `refs/heads/MAIN` is the file of `refs/heads/main`). A branch under
    /// `sigit/` would shadow a seal (`sigit/<id>/completed`) for sigit's own branches-first reading.
    public func shadowedName(protected: [String]) -> String? {
        let names = Self.readings(of: ref)
        for name in protected where ref != "refs/heads/" + name {
            if names.contains(name.lowercased()) { return name }
        }
        if ref.hasSuffix("/HEAD"), names.contains("head") { return "HEAD" }
        if ref.hasPrefix("refs/heads/sigit/") { return "refs/tags/" + String(ref.dropFirst("refs/heads/".count)) }
        return nil
    }

    /// Every name git or a user could shorten `ref` to, lowercased: the name itself and what is left after
    /// peeling leading `refs/`, `heads/`, `tags/`, `remotes/` and `remotes/<remote>/`, repeatedly.
    static func readings(of ref: String) -> Set<String> {
        var seen: Set<String> = []
        var queue = [ref.lowercased()]
        while let name = queue.popLast() {
            guard !name.isEmpty, seen.insert(name).inserted else { continue }
            for prefix in ["refs/", "heads/", "tags/", "remotes/"] where name.hasPrefix(prefix) {
                let rest = String(name.dropFirst(prefix.count))
                queue.append(rest)
                if prefix == "remotes/", let slash = rest.firstIndex(of: "/") { queue.append(String(rest[rest.index(after: slash)...])) }
            }
        }
        return seen
    }
}
