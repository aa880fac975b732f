import Foundation

/// Why an RFC 3161 time-stamp token, request or response was refused; each case is one sentence.
public enum TrustedTimeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes are not the DER structure expected; the text names the part.
    case malformed(String)
    /// The token's CMS content is not SignedData over a TSTInfo.
    case notATimeStampToken(String)
    /// A version, algorithm or structure this library does not handle.
    case unsupported(String)
    /// The token holds no signer or more than one.
    case signerCount(Int)
    /// No certificate in the token or among the trusted ones matches the signer identifier.
    case signerCertificateNotFound
    /// The signed attributes lack a required attribute (content-type, message-digest, signing-certificate).
    case missingAttribute(String)
    /// The content-type attribute is not id-ct-TSTInfo.
    case contentTypeMismatch
    /// The message-digest attribute is not the hash of the encapsulated TSTInfo.
    case messageDigestMismatch
    /// The CMS signature does not verify with the signer certificate's key.
    case signatureInvalid
    /// The ESSCertID(v2) hash or serial does not match the signing certificate.
    case signingCertificateMismatch
    /// The signer certificate is not a time-stamping certificate; the text says why.
    case notTimeStampingCertificate(String)
    /// No chain from the signer certificate reaches a trusted authority.
    case untrustedAuthority(String)
    /// `genTime` lies outside the validity of a certificate of the chain.
    case genTimeOutsideValidity(genTime: Date, notBefore: Date, notAfter: Date)
    /// The message imprint is not SHA-256.
    case imprintAlgorithm(String)
    /// The message imprint is not the hash the caller expected.
    case imprintMismatch
    /// A nonce was expected and the token has none.
    case nonceMissing
    /// The token's nonce is not the one sent.
    case nonceMismatch
    /// The TSA answered with a status other than granted; the text is its status and reason.
    case requestRejected(String)

    /// One sentence a user can act on.
    public var description: String {
        switch self {
        case .malformed(let what):
            return "malformed time-stamp data: \(what); check that the token was stored whole"
        case .notATimeStampToken(let what):
            return "not an RFC 3161 time-stamp token: \(what)"
        case .unsupported(let what):
            return "unsupported time-stamp token: \(what)"
        case .signerCount(let count):
            return "the time-stamp token has \(count) signers; exactly one is expected"
        case .signerCertificateNotFound:
            return "the time-stamp token's signer certificate is neither in the token nor among the trusted authorities; ask the TSA with certReq set"
        case .missingAttribute(let name):
            return "the time-stamp token's signed attributes lack \(name)"
        case .contentTypeMismatch:
            return "the time-stamp token's content-type attribute is not id-ct-TSTInfo"
        case .messageDigestMismatch:
            return "the time-stamp token's message-digest attribute does not match its TSTInfo; the token was altered"
        case .signatureInvalid:
            return "the time-stamp token's signature does not verify with the TSA certificate; the token was altered or signed by another key"
        case .signingCertificateMismatch:
            return "the time-stamp token's signing-certificate attribute does not name the certificate that signed it"
        case .notTimeStampingCertificate(let why):
            return "the TSA certificate is not a time-stamping certificate: \(why)"
        case .untrustedAuthority(let subject):
            return "the time-stamp token was signed by \(subject), which does not chain to a trusted authority; list its certificate or root under timestamping"
        case .genTimeOutsideValidity(let genTime, let notBefore, let notAfter):
            return "the time-stamp's time \(Self.format(genTime)) is outside the TSA certificate's validity (\(Self.format(notBefore)) to \(Self.format(notAfter)))"
        case .imprintAlgorithm(let name):
            return "the time-stamp token's message imprint uses \(name); sigit expects SHA-256"
        case .imprintMismatch:
            return "the time-stamp token covers other data than this event"
        case .nonceMissing:
            return "the time-stamp token carries no nonce although one was sent"
        case .nonceMismatch:
            return "the time-stamp token's nonce is not the one sent; the answer belongs to another request"
        case .requestRejected(let status):
            return "the TSA refused the request: \(status)"
        }
    }

    /// `text` with control characters replaced, for names a certificate supplies.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }

    /// RFC 3339 in UTC, with fractions when the time has them.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
