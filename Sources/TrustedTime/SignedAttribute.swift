import SwiftASN1

/// One CMS attribute (RFC 5652 5.3): its type and its values, kept as nodes.
struct SignedAttribute: Sendable, Hashable {
    /// The attribute type.
    var type: ASN1ObjectIdentifier
    /// The values of the SET OF.
    var values: [ASN1Node]

    /// Reads `SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF ANY }`.
    init(node: ASN1Node) throws {
        var nodes = try DERReader.children(node, identifier: .sequence, "an attribute").makeIterator()
        type = try ASN1ObjectIdentifier(derEncoded: DERReader.required(&nodes, "an attribute type"))
        let set = try DERReader.required(&nodes, "an attribute's values")
        values = Array(try DERReader.children(set, identifier: .set, "an attribute's values"))
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("an attribute has extra fields") }
    }

    /// The single value of the attribute; RFC 5652 11 allows exactly one for the attributes read here.
    func single(_ name: String) throws -> ASN1Node {
        guard values.count == 1 else { throw TrustedTimeError.malformed("the \(name) attribute has \(values.count) values") }
        return values[0]
    }
}
