/// The body of a plain-text message, in the lightest Content-Transfer-Encoding that keeps it valid.
enum MailBody {
    /// RFC 5322 section 2.1.1: a line holds at most 998 octets before its CRLF.
    static let maxLineOctets = 998

    /// The encoding name and the body lines (without line ends): `7bit`, `8bit`, or `quoted-printable`
    /// when a line is too long for SMTP or holds a NUL. CRLF and lone CR are read as line ends.
    static func encode(_ body: String) throws(DeliveryError) -> (String, [[UInt8]]) {
        let lines = splitLines(Array(body.utf8))
        let needsQuotedPrintable = lines.contains { line in line.count > maxLineOctets || line.contains(0) }
        if needsQuotedPrintable {
            return ("quoted-printable", lines.flatMap(quotedPrintable))
        }
        let isASCII = lines.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
        return (isASCII ? "7bit" : "8bit", lines)
    }

    /// The lines of `bytes`; a final line end does not start another (empty) line.
    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                lines.append(current)
                current = []
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                current.append(byte)
            }
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// One text line as quoted-printable (RFC 2045 section 6.7): physical lines of at most 76 characters,
    /// joined by soft breaks (`=` at the end), trailing space or tab encoded.
    static func quotedPrintable(_ line: [UInt8]) -> [[UInt8]] {
        let hex = Array("0123456789ABCDEF".utf8)
        var tokens: [[UInt8]] = []
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            tokens.append(literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
        var physical: [[UInt8]] = []
        var current: [UInt8] = []
        for (index, token) in tokens.enumerated() {
            let isLast = index == tokens.count - 1
            // Leave room for the soft-break "=" unless this token ends the line.
            let limit = isLast ? 76 : 75
            if current.count + token.count > limit {
                physical.append(current + [UInt8(ascii: "=")])
                current = []
            }
            current += token
        }
        physical.append(current)
        return physical
    }
}
