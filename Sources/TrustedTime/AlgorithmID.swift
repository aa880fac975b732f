import SwiftASN1

/// An AlgorithmIdentifier (RFC 5280 4.1.1.2): the algorithm and its parameters, kept as a node.
struct AlgorithmID: Sendable, Hashable {
    /// The algorithm.
    var oid: ASN1ObjectIdentifier
    /// The parameters, absent or NULL for most algorithms.
    var parameters: ASN1Node?

    /// Reads `SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
    init(node: ASN1Node) throws {
        var nodes = try DERReader.children(node, identifier: .sequence, "an algorithm identifier").makeIterator()
        oid = try ASN1ObjectIdentifier(derEncoded: DERReader.required(&nodes, "an algorithm"))
        parameters = nodes.next()
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("an algorithm identifier has extra fields") }
    }

    /// The digest algorithm this names; parameters must be absent or NULL.
    func digest(_ what: String) throws -> DigestAlgorithm {
        guard let digest = DigestAlgorithm(oid: oid) else {
            throw TrustedTimeError.unsupported("\(what) \(oid)")
        }
        if let parameters, parameters.identifier != .null {
            throw TrustedTimeError.malformed("\(what) has parameters")
        }
        return digest
    }

    /// `SEQUENCE { oid, NULL }`, the encoding of digest algorithms in requests.
    static func serialize(_ digest: DigestAlgorithm, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(digest.oid)
            try coder.serialize(ASN1Null())
        }
    }
}
