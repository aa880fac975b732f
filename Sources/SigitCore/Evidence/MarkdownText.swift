/// Escapes untrusted text for Markdown (GitHub flavour), so a title or reason cannot add links (also the bare
/// `www.` and e-mail autolinks), images, HTML or table cells.
public enum MarkdownText {
    /// Text from sigit itself (hex ids, digests, times, fingerprints) as a code span.
    public static func code(_ text: String) -> String { "`" + text.filter { $0 != "`" && $0 != "\n" } + "`" }

    /// One line: Markdown punctuation that starts emphasis, links, images, HTML, tables or autolinks backslash-escaped, `& < >` as entities, newlines as `<br>`, control characters
    /// shown as `\u{..}`.
    public static func escape(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = ""
            for character in TerminalText.safe(String(line)) {
                switch character {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                // `:` `.` `@` too: GitHub turns bare http://, www. and e-mail addresses into links.
                case "\\", "`", "*", "_", "[", "]", "#", "!", "|", "~", ":", ".", "@":
                    out += "\\" + String(character)
                default: out.append(character)
                }
            }
            return out
        }.joined(separator: "<br>")
    }
}
