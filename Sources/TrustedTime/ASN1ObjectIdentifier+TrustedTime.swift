import SwiftASN1

/// The object identifiers of RFC 3161, RFC 5652 (CMS), RFC 5035 (ESS) and the algorithms a TSA signs with.
extension ASN1ObjectIdentifier {
    /// id-signedData (RFC 5652 5.1).
    static let tsSignedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    /// id-ct-TSTInfo (RFC 3161 2.4.2).
    static let tsTSTInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]
    /// id-contentType attribute (RFC 5652 11.1).
    static let tsContentTypeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    /// id-messageDigest attribute (RFC 5652 11.2).
    static let tsMessageDigestAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    /// id-aa-signingCertificate (RFC 2634 5.4, ESSCertID with SHA-1).
    static let tsSigningCertificate: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 12]
    /// id-aa-signingCertificateV2 (RFC 5035 3, ESSCertIDv2).
    static let tsSigningCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 47]

    /// SHA-1 (digest).
    static let tsSHA1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    /// SHA-256 (digest).
    static let tsSHA256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    /// SHA-384 (digest).
    static let tsSHA384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    /// SHA-512 (digest).
    static let tsSHA512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]

    /// rsaEncryption: OpenSSL's signature algorithm in a SignerInfo, the digest named beside it.
    static let tsRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    /// sha256WithRSAEncryption.
    static let tsSHA256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    /// sha384WithRSAEncryption.
    static let tsSHA384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 12]
    /// sha512WithRSAEncryption.
    static let tsSHA512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 13]
    /// id-RSASSA-PSS.
    static let tsRSASSAPSS: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 10]
    /// id-mgf1.
    static let tsMGF1: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 8]
    /// ecdsa-with-SHA256.
    static let tsECDSAWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    /// ecdsa-with-SHA384.
    static let tsECDSAWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    /// ecdsa-with-SHA512.
    static let tsECDSAWithSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]
    /// id-ecPublicKey: some signers put the key's algorithm where the signature algorithm belongs.
    static let tsECPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
}
