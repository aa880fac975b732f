/// The `sha256:<64 hex digits>` form every `--digest` option takes (a content digest, a pending policy change).
public enum DigestText {
    /// `text` with its hex in lower case, or a one-line error naming what is wrong.
    public static func parse(_ text: String) throws -> String {
        let hex = text.hasPrefix("sha256:") ? text.dropFirst("sha256:".count) : ""
        guard hex.count == 64, hex.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
            throw SigitError.badInput("malformed digest '\(TerminalText.safe(String(text.prefix(100))))': expected sha256:<64 hex digits>")
        }
        return "sha256:" + hex.lowercased()
    }
}
