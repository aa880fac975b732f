import Crypto
import Foundation
import TrustedTime
import X509

/// The `timestamping:` section of the policy (spec section 8): the time-stamping authorities whose tokens count, the
/// clock skew tolerated, and whether `sigit approve` time-stamps its own events.
public struct Timestamping: Sendable, Equatable, Codable {
    /// The default `max-skew`: 10 minutes.
    public static let defaultMaxSkew: TimeInterval = 600

    /// The authorities trusted, in the order the policy lists them (`sigit timestamp` asks them in this order).
    public var authorities: [TimestampAuthority]
    /// A committer time later than the trusted time by more than this is a `clock-skew` warning.
    public var maxSkew: TimeInterval
    /// `sigit approve` asks for a token over its own approval right after writing it.
    public var approvals: Bool

    /// A section.
    public init(authorities: [TimestampAuthority], maxSkew: TimeInterval = Timestamping.defaultMaxSkew, approvals: Bool = false) {
        self.authorities = authorities
        self.maxSkew = maxSkew
        self.approvals = approvals
    }
}

/// One trusted time-stamping authority: its name, the certificate a token must chain to (the TSA's own signing
/// certificate or the root that issued it), and where to ask it for tokens.
public struct TimestampAuthority: Sendable, Equatable, Codable {
    /// A name (the policy's name rules).
    public var name: String
    /// DER of the certificate.
    public var certificate: Data
    /// The TSA's HTTP(S) address, when the policy gives one (`sigit timestamp` without `--tsa` uses it).
    public var url: String?

    /// An authority.
    public init(name: String, certificate: Data, url: String? = nil) {
        self.name = name
        self.certificate = certificate
        self.url = url
    }

    /// The certificate parsed (checked when the policy was read).
    public func parsedCertificate() throws -> X509.Certificate { try CertificateDER.certificate(certificate) }

    /// Lowercase hex SHA-256 of the certificate's DER.
    public var fingerprint: String { SHA256.hash(data: certificate).map { String(format: "%02x", $0) }.joined() }

    /// The certificate as PEM.
    public var pem: String { CertificateDER.pem(certificate) }
}
