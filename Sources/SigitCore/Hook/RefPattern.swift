/// A reference-name pattern an administrator lets through the pre-receive hook (`sigit hook install --allow-ref`).
///
/// `*` matches any run of characters, `/` included (as in git's refspecs: `refs/pull/*` matches `refs/pull/1/head`),
/// `?` matches one character; everything else matches itself. A pattern starts with `refs/` and holds only the
/// characters a reference name may hold, plus `*` and `?`; no comma, since the patterns are stored comma-separated.
public struct RefPattern: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String

    /// Checks `text` and keeps it; refuses with a message naming the pattern.
    public init(_ text: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+=@*?")
        guard text.hasPrefix("refs/"), text.count > "refs/".count, text.count <= 200, text.allSatisfy(allowed.contains),
              !text.contains(".."), !text.contains("//"), !text.hasSuffix("/"), !text.hasSuffix(".lock") else {
            throw SigitError.badInput("invalid --allow-ref pattern \(Name.quoted(text)): a pattern starts with refs/ and uses letters, digits, ._/-+=@ and the wildcards * and ?")
        }
        self.text = text
    }

    /// Whether the full reference name `ref` matches.
    public func matches(_ ref: String) -> Bool {
        Self.glob(Array(text.utf8)[...], Array(ref.utf8)[...])
    }

    /// The pattern as written.
    public var description: String { text }

    /// Iterative glob match with backtracking to the last `*` (linear in practice, no recursion).
    static func glob(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        let p = Array(pattern), n = Array(name)
        var i = 0, j = 0
        var star = -1, resume = 0
        while j < n.count {
            if i < p.count, p[i] == UInt8(ascii: "?") || p[i] == n[j] && p[i] != UInt8(ascii: "*") {
                i += 1
                j += 1
            } else if i < p.count, p[i] == UInt8(ascii: "*") {
                star = i
                resume = j
                i += 1
            } else if star >= 0 {
                i = star + 1
                resume += 1
                j = resume
            } else {
                return false
            }
        }
        while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }
}
