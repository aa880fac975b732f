/// Escapes untrusted text for Markdown (GitHub flavour), so a title or reason cannot add links (also the bare
/// `www.` and e-mail autolinks), images, HTML or table cells.
public enum MarkdownText {
    /// Text from sigit itself (hex ids, digests, times, fingerprints) as a code span.
    public static func code(_ text: String) -> String { "`" + text.filter { $0 != "`" && $0 != "\n" } + "`" }

    /// One line: Markdown punctuation that starts emphasis, links, images, HTML, tables or autolinks backslash-escaped, `& < >` as entities, newlines as `<br>`, control characters
    /// shown as `\u{..}`. A `.` or `:` is escaped only where it would start a list or an autolink (`www.`, `1.` at
    /// the start, `http://`), so a version like 0.1.0 or a time reads the same as plain text.
    public static func escape(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = ""
            let characters = Array(TerminalText.safe(String(line)))
            var digitsOnly = true  // only digits so far: a `.` here would make an ordered list
            for (index, character) in characters.enumerated() {
                defer { digitsOnly = digitsOnly && character.isASCII && character.isNumber }
                switch character {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                // `@` too: GitHub turns bare e-mail addresses into links.
                case "\\", "`", "*", "_", "[", "]", "#", "!", "|", "~", "@":
                    out += "\\" + String(character)
                case "." where digitsOnly || (index >= 3 && String(characters[(index - 3)..<index]).lowercased() == "www"):
                    out += "\\."
                case ":" where index + 1 < characters.count && characters[index + 1] == "/":
                    out += "\\:"
                default: out.append(character)
                }
            }
            return out
        }.joined(separator: "<br>")
    }
}
