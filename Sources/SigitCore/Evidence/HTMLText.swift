/// Escapes untrusted text (titles, reasons, names, file paths from a repository) for HTML.
public enum HTMLText {
    /// `text` safe inside an element or a quoted attribute: `& < > " '` become entities, and control and
    /// bidirectional-override characters are shown as `\u{..}` (TerminalText) so they cannot hide or reorder text.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in TerminalText.safe(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Multi-line untrusted text: each line escaped, lines joined with `<br>`.
    public static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "<br>")
    }
}
