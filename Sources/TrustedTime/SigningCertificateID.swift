import SwiftASN1

/// The first ESSCertID (RFC 2634 5.4, SHA-1) or ESSCertIDv2 (RFC 5035 3) of the signing-certificate
/// attribute: the hash of the certificate that signed, and optionally its serial number.
public struct SigningCertificateID: Sendable, Hashable {
    /// The hash over the whole DER of the signing certificate.
    public var hashAlgorithm: DigestAlgorithm
    /// The hash value.
    public var certificateHash: [UInt8]
    /// The serial number of issuerSerial, when present (magnitude, big-endian).
    public var serialNumber: [UInt8]?
    /// True for ESSCertIDv2 (signingCertificateV2).
    public var isVersion2: Bool

    /// Reads the attribute value `SigningCertificate` or `SigningCertificateV2`.
    init(attributeValue node: ASN1Node, version2: Bool) throws {
        var outer = try DERReader.children(node, identifier: .sequence, "the signing-certificate attribute").makeIterator()
        let certs = try DERReader.required(&outer, "the signing-certificate list")
        var ids = try DERReader.children(certs, identifier: .sequence, "the signing-certificate list").makeIterator()
        // Further ESSCertIDs name the chain; the first is the signer's (RFC 5035 3).
        let first = try DERReader.required(&ids, "the signer's ESSCertID")
        var fields = try DERReader.children(first, identifier: .sequence, "an ESSCertID").makeIterator()
        var algorithm = DigestAlgorithm.sha1
        if version2 {
            algorithm = .sha256
            if let node = DERReader.next(&fields, if: .sequence) {
                algorithm = try AlgorithmID(node: node).digest("the ESSCertIDv2 hash")
            }
        }
        let hash = try ASN1OctetString(derEncoded: DERReader.required(&fields, "the ESSCertID hash"))
        guard hash.bytes.count == algorithm.hash([UInt8]()).count else {
            throw TrustedTimeError.malformed("the ESSCertID hash has the wrong length")
        }
        var serial: [UInt8]?
        if let issuerSerial = DERReader.next(&fields, if: .sequence) {
            var parts = try DERReader.children(issuerSerial, identifier: .sequence, "the ESSCertID issuerSerial").makeIterator()
            _ = try DERReader.required(&parts, "the ESSCertID issuer")
            serial = try DERReader.unsignedInteger(DERReader.required(&parts, "the ESSCertID serial"), "the ESSCertID serial")
            guard parts.next() == nil else { throw TrustedTimeError.malformed("the ESSCertID issuerSerial has extra fields") }
        }
        guard fields.next() == nil else { throw TrustedTimeError.malformed("an ESSCertID has extra fields") }
        hashAlgorithm = algorithm
        certificateHash = Array(hash.bytes)
        serialNumber = serial
        isVersion2 = version2
    }
}
