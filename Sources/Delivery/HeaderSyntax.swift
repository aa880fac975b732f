import Foundation

/// Checks and encodings for header fields (RFC 5322, RFC 2047); every failure is an `.invalidNotice` error.
enum HeaderSyntax {
    /// RFC 5322 `atext`: the characters of an atom.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// Refuses CR, LF and NUL anywhere in a header value: they would let text end the header and start another.
    static func refuseLineBreaks(_ value: String, field: String) throws(DeliveryError) {
        for byte in value.utf8 where byte == 0x0D || byte == 0x0A || byte == 0x00 {
            let what = byte == 0 ? "a NUL byte" : "a line break"
            throw invalid("the \(field) contains \(what), which could inject mail headers")
        }
    }

    /// A `dot-atom-text` (atoms joined by single dots), as used in addresses and message ids.
    static func isDotAtom<S: BidirectionalCollection>(_ bytes: S) -> Bool where S.Element == UInt8 {
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "."), last != UInt8(ascii: ".") else {
            return false
        }
        var previousDot = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else {
                guard isAtext(byte) else { return false }
                previousDot = false
            }
        }
        return true
    }

    /// Checks one addr-spec (`local@domain`): ASCII, a dot-atom local part, a hostname domain, no spaces or brackets.
    static func checkAddress(_ address: MailAddress, role: String) throws(DeliveryError) {
        try refuseLineBreaks(address.email, field: "\(role) address")
        try refuseLineBreaks(address.name, field: "\(role) name")
        let email = address.email
        let shown = OneLine.safe(email, limit: 80)
        let parts = email.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw invalid("the \(role) address \"\(shown)\" is not one plain address of the form name@domain")
        }
        let local = parts[0], domain = parts[1]
        guard local.count <= 64, email.utf8.count <= 254, isDotAtom(local), isHostname(domain) else {
            throw invalid("the \(role) address \"\(shown)\" is not one plain address of the form name@domain (ASCII, no spaces, quotes or angle brackets)")
        }
    }

    /// A DNS hostname: letters, digits and inner hyphens in dot-separated labels of at most 63 characters.
    static func isHostname<S: BidirectionalCollection>(_ bytes: S) -> Bool where S.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.count <= 63,
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            for byte in label {
                let ok = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-")
                guard ok else { return false }
            }
        }
        return true
    }

    /// A message id without its angle brackets (`left@right`, dot-atoms); accepts the id with or without `<>`.
    static func normalizedMessageID(_ raw: String, field: String) throws(DeliveryError) -> String {
        try refuseLineBreaks(raw, field: field)
        var id = Substring(raw)
        while let first = id.first, first == " " || first == "\t" { id = id.dropFirst() }
        while let last = id.last, last == " " || last == "\t" { id = id.dropLast() }
        if id.hasPrefix("<") && id.hasSuffix(">") && id.count >= 2 { id = id.dropFirst().dropLast() }
        let parts = id.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard parts.count == 2, id.utf8.count <= 250, isDotAtom(parts[0]), isDotAtom(parts[1]) else {
            throw invalid("the \(field) \"\(OneLine.safe(raw, limit: 80))\" is not a message id of the form left@right (no spaces or brackets inside)")
        }
        return String(id)
    }

    /// Whether `text` can stand in a header as it is: printable ASCII (and spaces/tabs), no `=?` that a reader would decode.
    static func isPlainHeaderText(_ text: String) -> Bool {
        !text.contains("=?") && text.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) }
    }

    /// `text` as RFC 2047 `B` encoded-words in UTF-8, each at most 75 characters and never splitting a character.
    static func encodedWords(_ text: String) -> [String] {
        let maxBytes = 42  // 56 base64 characters + 12 of framing = 68: "Subject: " and one word fit in 78
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
            chunk.removeAll(keepingCapacity: true)
        }
        for character in text {
            var pieces = [Array(String(character).utf8)]
            if pieces[0].count > maxBytes {  // an unusually long grapheme: split between its scalars
                pieces = character.unicodeScalars.map { Array(String($0).utf8) }
            }
            for piece in pieces {
                if chunk.count + piece.count > maxBytes { flush() }
                chunk.append(contentsOf: piece)
            }
        }
        flush()
        return words
    }

    /// The words of an unstructured value (Subject): plain words split at spaces, or encoded-words.
    static func unstructuredWords(_ text: String) -> [String] {
        if isPlainHeaderText(text) {
            let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if words.allSatisfy({ $0.utf8.count <= 76 }) { return words }
        }
        return encodedWords(text)
    }

    /// The words of a display name: an atom phrase, a quoted-string, or encoded-words.
    static func phraseWords(_ name: String) -> [String] {
        let trimmed = name.trimmingSpaces
        guard isPlainHeaderText(trimmed), trimmed.utf8.count <= 64, !trimmed.contains("\t") else {
            return encodedWords(trimmed)
        }
        let words = trimmed.split(separator: " ").map(String.init)
        if words.allSatisfy({ $0.utf8.allSatisfy(isAtext) }) { return words }
        var quoted = "\""
        for character in trimmed {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return [quoted + "\""]
    }

    static func invalid(_ reason: String) -> DeliveryError {
        DeliveryError(channel: "mail", kind: .invalidNotice, reason: reason)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
