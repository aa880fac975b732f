import SwiftASN1

/// A CMS SignerInfo (RFC 5652 5.3) as a TSA writes it: signed attributes are required (RFC 3161 2.4.1).
struct SignerInfo: Sendable, Hashable {
    /// Which certificate signed.
    var identifier: SignerIdentifier
    /// The digest of the content and of the signed attributes.
    var digestAlgorithm: DigestAlgorithm
    /// How the signature is checked.
    var scheme: SignatureScheme
    /// The signed attributes, in order.
    var attributes: [SignedAttribute]
    /// The DER the signature covers: the signed attributes with the SET OF tag in place of `[0]` (RFC 5652 5.4).
    var signedBytes: [UInt8]
    /// The signature value.
    var signature: [UInt8]

    /// Reads one SignerInfo.
    init(node: ASN1Node) throws {
        var nodes = try DERReader.children(node, identifier: .sequence, "the signer info").makeIterator()
        let version = try Int(derEncoded: DERReader.required(&nodes, "the signer info version"))
        identifier = try SignerIdentifier(node: DERReader.required(&nodes, "the signer identifier"))
        switch (version, identifier) {
        case (1, .issuerAndSerial), (3, .subjectKeyIdentifier): break
        default: throw TrustedTimeError.malformed("the signer info version \(version) does not fit its signer identifier")
        }
        digestAlgorithm = try AlgorithmID(node: DERReader.required(&nodes, "the signer's digest algorithm")).digest("the signer's digest algorithm")
        guard let signed = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)),
              case .constructed(let children) = signed.content
        else {
            throw TrustedTimeError.missingAttribute("every attribute (a time-stamp token must carry signed attributes)")
        }
        attributes = try children.map { try SignedAttribute(node: $0) }
        var bytes = Array(signed.encodedBytes)
        bytes[0] = 0x31
        signedBytes = bytes
        let signatureAlgorithm = try AlgorithmID(node: DERReader.required(&nodes, "the signature algorithm"))
        signature = Array(try ASN1OctetString(derEncoded: DERReader.required(&nodes, "the signature")).bytes)
        // Unsigned attributes ([1]) are allowed and ignored.
        _ = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific))
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("the signer info has extra fields") }
        scheme = try SignatureScheme(signatureAlgorithm: signatureAlgorithm, digest: digestAlgorithm)
    }

    /// The attribute of `type`; there must be at most one (RFC 5652 5.3).
    func attribute(_ type: ASN1ObjectIdentifier, _ name: String) throws -> SignedAttribute? {
        let found = attributes.filter { $0.type == type }
        guard found.count <= 1 else { throw TrustedTimeError.malformed("the \(name) attribute appears \(found.count) times") }
        return found.first
    }
}
