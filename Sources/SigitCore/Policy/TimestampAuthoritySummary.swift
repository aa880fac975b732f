import Foundation
import X509

/// What `sigit policy show` tells about a trusted time-stamping authority: its name and address, and the subject,
/// issuer, SHA-256 fingerprint and validity of the certificate its tokens must chain to.
public struct TimestampAuthoritySummary: Sendable, Equatable, Codable {
    /// The authority's name in the policy.
    public let name: String
    /// Where `sigit timestamp` asks it for tokens, when the policy says.
    public let url: String?
    /// The certificate's subject, as an RFC 4514 string (untrusted text: escape it where it is shown).
    public let subject: String
    /// The certificate's issuer, as an RFC 4514 string (untrusted text).
    public let issuer: String
    /// `sha256:` and the lowercase hex SHA-256 of the certificate's DER (what `openssl x509 -fingerprint -sha256` prints).
    public let fingerprint: String
    /// Start of the certificate's validity, RFC 3339.
    public let notBefore: String
    /// End of the certificate's validity, RFC 3339.
    public let notAfter: String

    enum CodingKeys: String, CodingKey {
        case name, url, subject, issuer, fingerprint
        case notBefore = "not-before"
        case notAfter = "not-after"
    }

    /// The summary of `authority`; throws when its certificate does not parse (the policy reader checked it does).
    public init(_ authority: TimestampAuthority) throws {
        let certificate: X509.Certificate
        do { certificate = try authority.parsedCertificate() } catch {
            throw SigitError.repository("the certificate of time-stamping authority \(authority.name) does not parse: \(error)")
        }
        name = authority.name
        url = authority.url
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        fingerprint = "sha256:" + ContentDigest.sha256Hex(authority.certificate)
        notBefore = RFC3339.format(certificate.notValidBefore)
        notAfter = RFC3339.format(certificate.notValidAfter)
    }
}
