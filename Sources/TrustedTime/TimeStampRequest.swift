import Foundation
import SwiftASN1

/// An RFC 3161 TimeStampReq (2.4.1) over a SHA-256 imprint: the body of a POST with
/// `Content-Type: application/timestamp-query`.
public struct TimeStampRequest: Sendable, Hashable {
    /// The SHA-256 of the data to stamp.
    public var imprint: Data
    /// A random nonce the answer must repeat, when given.
    public var nonce: UInt64?
    /// Whether the TSA is asked to include its certificate in the token.
    public var certReq: Bool

    /// A request over `imprint` (SHA-256), with `nonce` and `certReq`.
    public init(imprint: Data, nonce: UInt64?, certReq: Bool) {
        self.imprint = imprint
        self.nonce = nonce
        self.certReq = certReq
    }

    /// The DER: `SEQUENCE { version 1, messageImprint, nonce?, certReq (only when true) }`.
    public var der: Data {
        var coder = DER.Serializer()
        // The serializer throws only for values it cannot encode; integers, octets and a boolean it always can.
        do {
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(1)
                try MessageImprint(sha256: imprint).serialize(into: &coder)
                if let nonce { try coder.serialize(nonce) }
                if certReq { try coder.serialize(true) }
            }
        } catch {
            return Data()
        }
        return Data(coder.serializedBytes)
    }
}
