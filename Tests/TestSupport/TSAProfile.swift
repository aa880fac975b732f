/// One section of the test TSA's `openssl ts` configuration: which certificate signs, and how.
public struct TSAProfile: Sendable, CustomStringConvertible {
    /// The config section and URL path.
    public let section: String
    /// The signing certificate's file (PEM) in the fixture folder.
    public let certificate: String
    /// The key's file.
    public let key: String
    /// `signer_digest`.
    public let digest: String
    /// `ess_cert_id_alg`: sha1 writes an ESSCertID, anything else an ESSCertIDv2.
    public let essAlgorithm: String
    /// The CA that issued `certificate` ("A" is trusted by the tests, "B" is not).
    public let issuer: String
    /// `digests`: the imprint algorithms the TSA accepts.
    public var acceptedDigests = "sha256, sha384, sha512"

    public var description: String { section }

    /// A profile of `section`; the fixture configures only the profiles of `all`.
    public init(section: String, certificate: String, key: String, digest: String, essAlgorithm: String, issuer: String,
                acceptedDigests: String = "sha256, sha384, sha512") {
        self.section = section
        self.certificate = certificate
        self.key = key
        self.digest = digest
        self.essAlgorithm = essAlgorithm
        self.issuer = issuer
        self.acceptedDigests = acceptedDigests
    }

    /// RSA 2048, SHA-256, ESSCertID (SHA-1), accuracy, ordering, TSA name and millisecond precision.
    public static let rsa = TSAProfile(section: "rsa", certificate: "tsa-rsa.pem", key: "tsa-rsa.key", digest: "sha256", essAlgorithm: "sha1", issuer: "A")
    /// RSA 2048, SHA-512, ESSCertIDv2 (SHA-256).
    public static let rsaSHA512 = TSAProfile(section: "rsa512", certificate: "tsa-rsa.pem", key: "tsa-rsa.key", digest: "sha512", essAlgorithm: "sha256", issuer: "A")
    /// ECDSA P-256, SHA-256, ESSCertIDv2 (SHA-256).
    public static let p256 = TSAProfile(section: "p256", certificate: "tsa-p256.pem", key: "tsa-p256.key", digest: "sha256", essAlgorithm: "sha256", issuer: "A")
    /// ECDSA P-384, SHA-384, ESSCertIDv2 (SHA-384).
    public static let p384 = TSAProfile(section: "p384", certificate: "tsa-p384.pem", key: "tsa-p384.key", digest: "sha384", essAlgorithm: "sha384", issuer: "A")
    /// A TSA under CA B, which the tests do not trust.
    public static let unlisted = TSAProfile(section: "unlisted", certificate: "tsa-other.pem", key: "tsa-other.key", digest: "sha256", essAlgorithm: "sha256", issuer: "B")
    /// A TSA under CA A whose certificate was valid in 2020 only.
    public static let expired = TSAProfile(section: "expired", certificate: "tsa-expired.pem", key: "tsa-expired.key", digest: "sha256", essAlgorithm: "sha256", issuer: "A")
    /// The RSA TSA accepting SHA-512 imprints only: it rejects sigit's SHA-256 requests.
    public static let sha512Only = TSAProfile(section: "sha512only", certificate: "tsa-rsa.pem", key: "tsa-rsa.key", digest: "sha256", essAlgorithm: "sha1", issuer: "A", acceptedDigests: "sha512")

    /// A certificate whose extended key usage timeStamping is not critical: openssl's TSA refuses to sign with it.
    public static let nonCriticalUsage = TSAProfile(section: "noncritical", certificate: "tsa-eku-noncritical.pem", key: "tsa-eku-noncritical.key", digest: "sha256", essAlgorithm: "sha256", issuer: "A")

    /// Every section the fixture configures.
    public static let all: [TSAProfile] = [.rsa, .rsaSHA512, .p256, .p384, .unlisted, .expired, .sha512Only, .nonCriticalUsage]
    /// The TSAs whose tokens must verify.
    public static let trusted: [TSAProfile] = [.rsa, .rsaSHA512, .p256, .p384]
}
