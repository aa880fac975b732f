import SwiftASN1
import X509

/// Which certificate signed (RFC 5652 5.3): issuer and serial number, or subject key identifier.
enum SignerIdentifier: Sendable, Hashable {
    /// `IssuerAndSerialNumber`.
    case issuerAndSerial(issuer: DistinguishedName, serial: [UInt8])
    /// `[0] SubjectKeyIdentifier`.
    case subjectKeyIdentifier([UInt8])

    /// Reads a SignerIdentifier choice.
    init(node: ASN1Node) throws {
        if node.identifier == .sequence {
            var nodes = try DERReader.children(node, identifier: .sequence, "the signer identifier").makeIterator()
            let issuer = try DistinguishedName(derEncoded: DERReader.required(&nodes, "the signer's issuer"))
            let serial = try DERReader.unsignedInteger(DERReader.required(&nodes, "the signer's serial"), "the signer's serial")
            guard nodes.next() == nil else { throw TrustedTimeError.malformed("the signer identifier has extra fields") }
            self = .issuerAndSerial(issuer: issuer, serial: serial)
        } else if node.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            let octets = try ASN1OctetString(derEncoded: node, withIdentifier: node.identifier)
            self = .subjectKeyIdentifier(Array(octets.bytes))
        } else {
            throw TrustedTimeError.malformed("the signer identifier has the wrong type")
        }
    }

    /// True when `certificate` is the one identified.
    func matches(_ certificate: Certificate) -> Bool {
        switch self {
        case .issuerAndSerial(let issuer, let serial):
            return certificate.issuer == issuer && DERReader.trimmed(certificate.serialNumber.bytes) == serial
        case .subjectKeyIdentifier(let identifier):
            guard let ski = try? certificate.extensions.subjectKeyIdentifier else { return false }
            return Array(ski.keyIdentifier) == identifier
        }
    }
}
