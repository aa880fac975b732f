/// Flattens untrusted text (server replies, stderr) to one printable line of bounded length.
enum OneLine {
    /// Control characters become spaces, runs of whitespace collapse, and the result is cut at `limit` characters.
    static func safe(_ text: String, limit: Int = 300) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.properties.generalCategory == .format && scalar.value != 0x200D
            if isControl || scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.unicodeScalars.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        if out.count > limit { out = String(out.prefix(limit)) + "…" }
        return out
    }
}
