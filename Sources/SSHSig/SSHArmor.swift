import Foundation

/// The PEM-like armor OpenSSH puts around private keys and SSHSIG signatures.
///
/// Writes exactly what ssh-keygen writes (base64 in lines of 70 characters, a final newline);
/// reads leniently (CRLF, indentation, surrounding whitespace) but rejects bad base64.
enum SSHArmor {
    /// The width of a base64 line in ssh-keygen's output.
    static let lineWidth = 70

    /// Wraps `data` between `-----BEGIN label-----` and `-----END label-----`.
    static func encode(_ data: Data, label: String) -> String {
        let base64 = data.base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: lineWidth, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Extracts and decodes the base64 body between the `label` markers.
    static func decode(_ text: String, label: String) throws(SSHSigError) -> Data {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let first = lines.first, first == begin else {
            throw .malformed("the text does not start with \(begin)")
        }
        guard let last = lines.last, lines.count >= 2, last == end else {
            throw .malformed("the text does not end with \(end)")
        }
        let body = lines[1..<(lines.count - 1)].joined()
        guard !body.isEmpty else { throw .malformed("the \(label) block is empty") }
        guard let data = decodeBase64(body) else {
            throw .malformed("the \(label) block is not valid base64")
        }
        return data
    }

    /// Decodes canonical, padded standard base64 as OpenSSH's `b64_pton` does; nil for anything else.
    ///
    /// Foundation alone accepts misplaced padding and non-zero trailing bits, so the result is
    /// encoded again and must give back the input.
    static func decodeBase64(_ text: String) -> Data? {
        guard text.utf8.count % 4 == 0, text.utf8.allSatisfy(isBase64Character),
              let data = Data(base64Encoded: text), data.base64EncodedString() == text else {
            return nil
        }
        return data
    }

    /// True for the characters of standard base64, padding included.
    static func isBase64Character(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
