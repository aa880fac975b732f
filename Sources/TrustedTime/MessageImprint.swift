import Foundation
import SwiftASN1

/// What a time-stamp covers (RFC 3161 2.4.1): a hash algorithm and the hash of the data.
public struct MessageImprint: Sendable, Hashable {
    /// The hash algorithm's object identifier, as written (it may be one this library does not know).
    public var hashAlgorithm: ASN1ObjectIdentifier
    /// The hash.
    public var hashedMessage: Data

    /// A SHA-256 imprint, the only kind sigit asks for.
    public init(sha256 hash: Data) {
        hashAlgorithm = .tsSHA256
        hashedMessage = hash
    }

    /// Reads `SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }`.
    init(node: ASN1Node) throws {
        var nodes = try DERReader.children(node, identifier: .sequence, "the message imprint").makeIterator()
        let algorithm = try AlgorithmID(node: DERReader.required(&nodes, "the imprint algorithm"))
        hashAlgorithm = algorithm.oid
        hashedMessage = Data(try ASN1OctetString(derEncoded: DERReader.required(&nodes, "the imprint hash")).bytes)
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("the message imprint has extra fields") }
    }

    /// The name of the algorithm, or its object identifier.
    public var algorithmName: String {
        DigestAlgorithm(oid: hashAlgorithm)?.rawValue ?? "\(hashAlgorithm)"
    }

    /// Writes the imprint with `SEQUENCE { oid, NULL }` as its algorithm.
    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(hashAlgorithm)
                try coder.serialize(ASN1Null())
            }
            try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(hashedMessage)))
        }
    }
}
