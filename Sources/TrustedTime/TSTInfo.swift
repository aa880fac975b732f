import Foundation
import SwiftASN1
import X509

/// The signed content of a time-stamp token (RFC 3161 2.4.2): what was stamped, when, by which policy.
public struct TSTInfo: Sendable, Hashable {
    /// The TSA's policy under which the token was made.
    public var policy: ASN1ObjectIdentifier
    /// What the token covers.
    public var messageImprint: MessageImprint
    /// The TSA's serial number of the token (magnitude, big-endian).
    public var serialNumber: [UInt8]
    /// The time of the stamp as written, fractions included.
    public var generalizedTime: GeneralizedTime
    /// The time of the stamp.
    public var genTime: Date
    /// The accuracy the TSA claims, when given.
    public var accuracy: TimeStampAccuracy?
    /// Whether tokens of this TSA are ordered by genTime alone.
    public var ordering: Bool
    /// The nonce of the request (magnitude, big-endian), when one was sent.
    public var nonce: [UInt8]?
    /// The TSA's name, when given.
    public var tsa: GeneralName?

    /// Reads the DER of a TSTInfo; version 1 only.
    init(der: [UInt8]) throws {
        let root = try DER.parse(der)
        var nodes = try DERReader.children(root, identifier: .sequence, "the TSTInfo").makeIterator()
        let version = try Int(derEncoded: DERReader.required(&nodes, "the TSTInfo version"))
        guard version == 1 else { throw TrustedTimeError.unsupported("TSTInfo version \(version)") }
        policy = try ASN1ObjectIdentifier(derEncoded: DERReader.required(&nodes, "the TSA policy"))
        messageImprint = try MessageImprint(node: DERReader.required(&nodes, "the message imprint"))
        serialNumber = try DERReader.unsignedInteger(DERReader.required(&nodes, "the serial number"), "the serial number")
        generalizedTime = try GeneralizedTime(derEncoded: DERReader.required(&nodes, "genTime"))
        genTime = try Self.date(generalizedTime)
        accuracy = try DERReader.next(&nodes, if: .sequence).map { try TimeStampAccuracy(node: $0) }
        ordering = false
        if let node = DERReader.next(&nodes, if: .boolean) {
            ordering = try Bool(derEncoded: node)
            guard ordering else { throw TrustedTimeError.malformed("ordering is encoded although it is the default (not DER)") }
        }
        nonce = try DERReader.next(&nodes, if: .integer).map { try DERReader.unsignedInteger($0, "the nonce") }
        if let node = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
            var inner = try DERReader.children(node, identifier: node.identifier, "the TSA name").makeIterator()
            tsa = try GeneralName(derEncoded: DERReader.required(&inner, "the TSA name"))
            guard inner.next() == nil else { throw TrustedTimeError.malformed("the TSA name has extra fields") }
        }
        // Extensions ([1]) are allowed; none is understood, and none of RFC 3161's is critical to sigit.
        _ = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific))
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("the TSTInfo has extra fields") }
    }

    /// The instant of a GeneralizedTime (always UTC in DER).
    static func date(_ time: GeneralizedTime) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let components = DateComponents(
            year: time.year, month: time.month, day: time.day,
            hour: time.hours, minute: time.minutes, second: time.seconds
        )
        guard let whole = calendar.date(from: components) else { throw TrustedTimeError.malformed("genTime is not a date") }
        return whole.addingTimeInterval(time.fractionalSeconds)
    }
}
