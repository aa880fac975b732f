import SwiftASN1

/// The ContentInfo and SignedData (RFC 5652 3, 5.1) around a TSTInfo (RFC 3161 2.4.2).
///
/// swift-certificates parses CMS only for id-data content and keeps the types internal, so this
/// reads what a time-stamp token needs.
struct SignedData: Sendable, Hashable {
    /// The encapsulated content type; id-ct-TSTInfo for a token.
    var contentType: ASN1ObjectIdentifier
    /// The DER of the TSTInfo, the octets the message-digest attribute covers.
    var content: [UInt8]
    /// The certificates carried (the TSA's when the request set certReq).
    var certificates: [EncodedCertificate]
    /// The signers.
    var signers: [SignerInfo]

    /// Reads `ContentInfo { id-signedData, [0] EXPLICIT SignedData }`.
    init(der: [UInt8]) throws {
        let root = try DER.parse(der)
        var outer = try DERReader.children(root, identifier: .sequence, "the content info").makeIterator()
        let type = try ASN1ObjectIdentifier(derEncoded: DERReader.required(&outer, "the content type"))
        guard type == .tsSignedData else { throw TrustedTimeError.notATimeStampToken("the content type is \(type), not signed data") }
        let wrapper = try DERReader.required(&outer, "the signed data")
        var wrapped = try DERReader.children(wrapper, identifier: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific), "the signed data").makeIterator()
        let signedData = try DERReader.required(&wrapped, "the signed data")
        guard wrapped.next() == nil, outer.next() == nil else { throw TrustedTimeError.malformed("the content info has extra fields") }

        var nodes = try DERReader.children(signedData, identifier: .sequence, "the signed data").makeIterator()
        let version = try Int(derEncoded: DERReader.required(&nodes, "the signed data version"))
        guard version == 3 else { throw TrustedTimeError.notATimeStampToken("signed data version \(version), not 3") }
        _ = try DERReader.children(DERReader.required(&nodes, "the digest algorithms"), identifier: .set, "the digest algorithms")
        var encapsulated = try DERReader.children(DERReader.required(&nodes, "the encapsulated content"), identifier: .sequence, "the encapsulated content").makeIterator()
        contentType = try ASN1ObjectIdentifier(derEncoded: DERReader.required(&encapsulated, "the encapsulated content type"))
        guard contentType == .tsTSTInfo else {
            throw TrustedTimeError.notATimeStampToken("the encapsulated content is \(contentType), not a TSTInfo")
        }
        guard let explicit = DERReader.next(&encapsulated, if: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) else {
            throw TrustedTimeError.notATimeStampToken("the TSTInfo is not encapsulated")
        }
        var octets = try DERReader.children(explicit, identifier: explicit.identifier, "the encapsulated TSTInfo").makeIterator()
        content = Array(try ASN1OctetString(derEncoded: DERReader.required(&octets, "the encapsulated TSTInfo")).bytes)
        guard octets.next() == nil, encapsulated.next() == nil else { throw TrustedTimeError.malformed("the encapsulated content has extra fields") }

        if let set = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
            guard case .constructed(let children) = set.content else { throw TrustedTimeError.malformed("the certificate set is not constructed") }
            certificates = try children.map { node in
                guard node.identifier == .sequence else { throw TrustedTimeError.unsupported("a certificate choice other than an X.509 certificate") }
                return try EncodedCertificate(node: node)
            }
        } else {
            certificates = []
        }
        // CRLs ([1]) are not used here.
        _ = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific))
        let signerSet = try DERReader.children(DERReader.required(&nodes, "the signer infos"), identifier: .set, "the signer infos")
        signers = try signerSet.map { try SignerInfo(node: $0) }
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("the signed data has extra fields") }
    }
}
