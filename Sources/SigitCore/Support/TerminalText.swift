/// Makes untrusted text (titles, reasons, names from a repository) safe to print on a terminal.
public enum TerminalText {
    /// `text` with control characters (escape sequences, newlines) shown as `\u{..}` escapes.
    public static func safe(_ text: String) -> String {
        // Printable ASCII needs no escape (the common case: no copy).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Multi-line untrusted text: each line made safe, newlines kept, every line indented by `indent`.
    public static func block(_ text: String, indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + safe(String($0)) }.joined(separator: "\n")
    }
}
