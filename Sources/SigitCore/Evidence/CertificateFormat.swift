import Foundation

/// The forms `sigit certificate` writes.
public enum CertificateFormat: String, CaseIterable, Sendable {
    case html, json, md

    /// The certificate in this form, as UTF-8 bytes.
    public func render(_ certificate: Certificate) throws -> Data {
        switch self {
        case .html: return Data(CertificateHTML.render(certificate).utf8)
        case .md: return Data(CertificateMarkdown.render(certificate).utf8)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(certificate) + Data("\n".utf8)
        }
    }
}
