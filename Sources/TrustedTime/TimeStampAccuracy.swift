import SwiftASN1

/// The accuracy a TSA claims for `genTime` (RFC 3161 2.4.2): seconds, milliseconds and microseconds.
public struct TimeStampAccuracy: Sendable, Hashable {
    /// Whole seconds, when given.
    public var seconds: Int?
    /// Milliseconds, 1 to 999, when given.
    public var milliseconds: Int?
    /// Microseconds, 1 to 999, when given.
    public var microseconds: Int?

    /// The accuracy in seconds; absent parts count as zero.
    public var interval: Double {
        Double(seconds ?? 0) + Double(milliseconds ?? 0) / 1_000 + Double(microseconds ?? 0) / 1_000_000
    }

    /// Reads `SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER OPTIONAL, micros [1] INTEGER OPTIONAL }`.
    init(node: ASN1Node) throws {
        var nodes = try DERReader.children(node, identifier: .sequence, "the accuracy").makeIterator()
        if let node = DERReader.next(&nodes, if: .integer) {
            seconds = try Int(derEncoded: node)
            guard (seconds ?? 0) >= 0 else { throw TrustedTimeError.malformed("the accuracy is negative") }
        }
        for (tag, name) in [(UInt(0), "milliseconds"), (UInt(1), "microseconds")] {
            let identifier = ASN1Identifier(tagWithNumber: tag, tagClass: .contextSpecific)
            guard let node = DERReader.next(&nodes, if: identifier) else { continue }
            let value = try Int(derEncoded: node, withIdentifier: identifier)
            guard (1...999).contains(value) else { throw TrustedTimeError.malformed("the accuracy's \(name) are out of range") }
            if tag == 0 { milliseconds = value } else { microseconds = value }
        }
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("the accuracy has extra fields") }
    }
}
