import Foundation
import SwiftASN1

/// An RFC 3161 TimeStampResp (2.4.2): the TSA's status and, when granted, the token.
public struct TimeStampResponse: Sendable, Hashable {
    /// The status.
    public var status: TimeStampStatus
    /// The TSA's free text, when given (untrusted: escape it where it is printed).
    public var statusText: [String]
    /// The names of the failure bits set (badAlg, badRequest, ...), when given.
    public var failures: [String]
    /// The token, present exactly when the status is granted.
    public var token: TimeStampToken?

    /// Parses a response; a granted one must carry a token, which is parsed (not verified).
    public init(der: Data) throws(TrustedTimeError) {
        let bytes = Array(der)
        let parsed = try DERReader.parsing("the response") { () throws -> (TimeStampStatus, [String], [String], ArraySlice<UInt8>?) in
            let root = try DER.parse(bytes)
            var nodes = try DERReader.children(root, identifier: .sequence, "the response").makeIterator()
            var info = try DERReader.children(DERReader.required(&nodes, "the status"), identifier: .sequence, "the status").makeIterator()
            let code = try Int(derEncoded: DERReader.required(&info, "the status"))
            guard let status = TimeStampStatus(rawValue: code) else { throw TrustedTimeError.malformed("the status \(code) is unknown") }
            var text: [String] = []
            if let node = DERReader.next(&info, if: .sequence) {
                text = try DERReader.children(node, identifier: .sequence, "the status text").map { String(try ASN1UTF8String(derEncoded: $0)) }
            }
            var failures: [String] = []
            if let node = DERReader.next(&info, if: .bitString) {
                let bits = try ASN1BitString(derEncoded: node)
                failures = Self.failureNames.compactMap { bit, name in
                    let byte = bit / 8
                    guard byte < bits.bytes.count else { return nil }
                    return bits.bytes[bits.bytes.startIndex + byte] & (0x80 >> UInt8(bit % 8)) != 0 ? name : nil
                }
            }
            guard info.next() == nil else { throw TrustedTimeError.malformed("the status has extra fields") }
            let token = nodes.next()?.encodedBytes
            guard nodes.next() == nil else { throw TrustedTimeError.malformed("the response has extra fields") }
            return (status, text, failures, token)
        }
        status = parsed.0
        statusText = parsed.1
        failures = parsed.2
        switch (status.isGranted, parsed.3) {
        case (true, let token?): self.token = try TimeStampToken(der: Data(token))
        case (true, nil): throw .malformed("the response is granted but carries no token")
        case (false, nil): token = nil
        case (false, _?): throw .malformed("the response carries a token although it is not granted")
        }
    }

    /// The token of a granted response; otherwise `requestRejected` with the status, reason and failures.
    public func grantedToken() throws(TrustedTimeError) -> TimeStampToken {
        if let token, status.isGranted { return token }
        var parts = [status.description]
        if !failures.isEmpty { parts.append(failures.joined(separator: ", ")) }
        parts += statusText.map(TrustedTimeError.printable)
        throw .requestRejected(parts.joined(separator: "; "))
    }

    /// PKIFailureInfo bits (RFC 3161 2.4.2).
    static let failureNames: [(Int, String)] = [
        (0, "badAlg"), (2, "badRequest"), (5, "badDataFormat"), (14, "timeNotAvailable"),
        (15, "unacceptedPolicy"), (16, "unacceptedExtension"), (17, "addInfoNotAvailable"), (25, "systemFailure"),
    ]
}
