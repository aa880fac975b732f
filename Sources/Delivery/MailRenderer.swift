/// Renders a `Notice` as an RFC 5322 message: plain text, UTF-8, threading headers, `Auto-Submitted`.
///
/// Header values are checked first: CR, LF or NUL anywhere, an address that is not one plain
/// addr-spec, or a malformed message id is refused with an `.invalidNotice` error, so no text
/// from a notice can add a header or a recipient. Non-ASCII header text becomes RFC 2047
/// encoded-words; the body is 7bit or 8bit, or quoted-printable when a line exceeds 998 octets
/// or holds a NUL, so no line on the wire is ever longer than RFC 5322 allows.
public enum MailRenderer {
    /// The line end of the rendered message.
    public enum LineEnding: Sendable {
        /// CRLF: the wire format of RFC 5322 and SMTP, and of `.eml` files.
        case crlf
        /// LF: the local convention expected on a `sendmail` command's standard input.
        case lf

        var bytes: [UInt8] { self == .crlf ? [0x0D, 0x0A] : [0x0A] }
    }

    /// The complete message (headers, blank line, body) ending with a line end.
    public static func render(_ notice: Notice, lineEnding: LineEnding = .crlf) throws(DeliveryError) -> [UInt8] {
        let headers = try headerLines(notice)
        let (encoding, bodyLines) = try MailBody.encode(notice.body)
        var lines = headers
        lines.append("Content-Transfer-Encoding: \(encoding)")
        var out: [UInt8] = []
        for line in lines {
            out.append(contentsOf: line.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
                .map(Array.init).joined(separator: lineEnding.bytes))
            out.append(contentsOf: lineEnding.bytes)
        }
        out.append(contentsOf: lineEnding.bytes)
        for line in bodyLines {
            out.append(contentsOf: line)
            out.append(contentsOf: lineEnding.bytes)
        }
        return out
    }

    /// The header lines without Content-Transfer-Encoding; a folded header holds `\n ` at each fold.
    static func headerLines(_ notice: Notice) throws(DeliveryError) -> [String] {
        let checked = try CheckedNotice(notice)
        var lines: [String] = []
        lines.append("Date: " + Timestamp(notice.date).rfc5322)
        lines.append(fold("From:", mailboxWords([notice.from])))
        lines.append(fold("To:", mailboxWords(notice.to)))
        lines.append(fold("Subject:", HeaderSyntax.unstructuredWords(notice.subject)))
        lines.append("Message-ID: <\(checked.messageID)>")
        if let inReplyTo = checked.inReplyTo { lines.append("In-Reply-To: <\(inReplyTo)>") }
        if !checked.references.isEmpty { lines.append(fold("References:", checked.references.map { "<\($0)>" })) }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Auto-Submitted: auto-generated")
        lines.append("X-Sigit-Event: \(notice.event)")
        return lines
    }

    /// Mailboxes as header words: each display name's words then `<addr>`, a comma after all but the last.
    static func mailboxWords(_ mailboxes: [MailAddress]) -> [String] {
        var words: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            let name = mailbox.name.trimmingSpaces
            var mailboxWords = name.isEmpty ? [mailbox.email] : HeaderSyntax.phraseWords(name) + ["<\(mailbox.email)>"]
            if index < mailboxes.count - 1 { mailboxWords[mailboxWords.count - 1] += "," }
            words += mailboxWords
        }
        return words
    }

    /// `name` and `words` joined by single spaces, folded before a word when a line would pass 78 characters.
    static func fold(_ name: String, _ words: [String]) -> String {
        var result = name
        var lineLength = name.utf8.count
        for word in words {
            let length = word.utf8.count
            if lineLength + 1 + length > 78 && lineLength > name.utf8.count {
                result += "\n " + word
                lineLength = 1 + length
            } else {
                result += " " + word
                lineLength += 1 + length
            }
        }
        return result
    }
}
