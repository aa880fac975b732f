/// The e-mail addresses sigit accepts for identities: plain ASCII `local@domain.tld`, nothing that OpenSSH's
/// `allowed_signers` would read as a pattern (`*`, `?`, `!`, `,`) or that could break a header or a line.
public enum EmailAddress {
    /// Whether `text` is one such address.
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 254 else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let local = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
        guard parts[0].allSatisfy({ local.contains($0) }), !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains("..") else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let label = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && $0.count <= 63 && $0.allSatisfy { label.contains($0) } && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }
}
