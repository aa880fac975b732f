import Foundation
import SwiftASN1
import X509

/// An RFC 3161 time-stamp token: CMS SignedData whose content is a TSTInfo, signed by a TSA.
///
/// Parsing checks structure only; `verify(imprint:trustedRoots:nonce:)` decides whether the token counts.
public struct TimeStampToken: Sendable, Hashable {
    /// The token's DER, as given.
    public let der: Data
    /// What the TSA signed: imprint, time, serial, policy, nonce.
    public let info: TSTInfo
    /// The certificates carried in the token (the TSA's and perhaps its chain).
    public let certificates: [Certificate]
    /// The hash algorithm the TSA signed with.
    public let signerDigestAlgorithm: DigestAlgorithm
    /// The first ESSCertID(v2) of the signing-certificate attribute, when present.
    public let signingCertificateID: SigningCertificateID?
    /// The content-type attribute, when present.
    let contentTypeAttribute: ASN1ObjectIdentifier?
    /// The message-digest attribute, when present.
    let messageDigestAttribute: [UInt8]?
    /// The CMS structure.
    let signedData: SignedData

    /// Parses a token; throws `malformed`, `notATimeStampToken` or `unsupported` for anything else.
    public init(der: Data) throws(TrustedTimeError) {
        let bytes = Array(der)
        let signedData = try DERReader.parsing("the token") { try SignedData(der: bytes) }
        guard signedData.signers.count == 1, let signer = signedData.signers.first else {
            throw .signerCount(signedData.signers.count)
        }
        self.der = der
        self.signedData = signedData
        info = try DERReader.parsing("the TSTInfo") { try TSTInfo(der: signedData.content) }
        certificates = signedData.certificates.map(\.certificate)
        signerDigestAlgorithm = signer.digestAlgorithm
        contentTypeAttribute = try DERReader.parsing("the content-type attribute") {
            try signer.attribute(.tsContentTypeAttribute, "content-type").map { try ASN1ObjectIdentifier(derEncoded: $0.single("content-type")) }
        }
        messageDigestAttribute = try DERReader.parsing("the message-digest attribute") {
            try signer.attribute(.tsMessageDigestAttribute, "message-digest").map { Array(try ASN1OctetString(derEncoded: $0.single("message-digest")).bytes) }
        }
        signingCertificateID = try DERReader.parsing("the signing-certificate attribute") {
            if let v2 = try signer.attribute(.tsSigningCertificateV2, "signing-certificate-v2") {
                return try SigningCertificateID(attributeValue: v2.single("signing-certificate-v2"), version2: true)
            }
            if let v1 = try signer.attribute(.tsSigningCertificate, "signing-certificate") {
                return try SigningCertificateID(attributeValue: v1.single("signing-certificate"), version2: false)
            }
            return nil
        }
    }

    /// The one signer (the initialiser made sure there is exactly one).
    var signer: SignerInfo { signedData.signers[0] }
}
