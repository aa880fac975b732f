import SwiftASN1
import X509

/// A certificate with the exact DER it came as, which ESSCertID hashes.
struct EncodedCertificate: Sendable, Hashable {
    /// The parsed certificate.
    var certificate: Certificate
    /// Its DER.
    var der: [UInt8]

    /// Parses one certificate node of the SignedData's certificate set.
    init(node: ASN1Node) throws {
        certificate = try Certificate(derEncoded: node)
        der = Array(node.encodedBytes)
    }

    /// A certificate given by the caller (a trusted authority), encoded again.
    init(_ certificate: Certificate) throws {
        var coder = DER.Serializer()
        try coder.serialize(certificate)
        self.certificate = certificate
        der = coder.serializedBytes
    }
}
