import Crypto
import Foundation

/// The identity of an event (spec section 2, *Event identity*): SHA-256 of its signed payload, the commit's bytes
/// without the `gpgsig` header, which is exactly what the signature covers. The commit id is not an identity: the
/// header lies outside the signature, so anyone can re-encode it and get a new commit id for the same signed event.
/// Held inline (four words) so every recorded event can carry one without an allocation.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    /// The identity of the event whose signed payload is `payload`.
    public init(payload: Data) {
        self.init(digest: Array(SHA256.hash(data: payload)))
    }

    /// An identity from 32 digest bytes (shorter input is padded with zeros).
    init<Bytes: Collection>(digest bytes: Bytes) where Bytes.Element == UInt8 {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &buffer) { raw in
            for (offset, byte) in bytes.prefix(32).enumerated() { raw[offset] = byte }
        }
        a = UInt64(bigEndian: buffer.0)
        b = UInt64(bigEndian: buffer.1)
        c = UInt64(bigEndian: buffer.2)
        d = UInt64(bigEndian: buffer.3)
    }

    /// A marker the ledger adds to an agreement's events at a merge (not a signed event): named by the merge commit
    /// and what it marks, so it can never equal the identity of a signed payload by chance.
    init(marker: String, commit: String) {
        self.init(digest: Array(SHA256.hash(data: Data("sigit-join-marker\u{0}\(marker)\u{0}\(commit)".utf8))))
    }

    /// The identity of notice `index` (1 and up) of the notify event `event`: a batched notify event records
    /// several notices, and each counts once per agreement however the event is copied.
    init(notice index: Int, of event: EventID) {
        self.init(digest: Array(SHA256.hash(data: Data("sigit-notice\u{0}\(index)\u{0}\(event.description)".utf8))))
    }

    /// The 32 bytes.
    var bytes: [UInt8] {
        var buffer = (a.bigEndian, b.bigEndian, c.bigEndian, d.bigEndian)
        return withUnsafeBytes(of: &buffer) { Array($0) }
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + hex }

    /// The 64 lowercase hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// An identity from exactly 64 lowercase hex digits; nil otherwise.
    public init?(hex text: String) {
        let chars = Array(text.utf8)
        guard chars.count == 64 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = value(chars[i]), let low = value(chars[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(digest: bytes)
    }

    public static func < (x: EventID, y: EventID) -> Bool { (x.a, x.b, x.c, x.d) < (y.a, y.b, y.c, y.d) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let hex = Array(text.utf8)
        guard hex.count == 64 else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not 32 bytes of hex")) }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: hex[i..<i + 2], as: UTF8.self), radix: 16) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not hex"))
            }
            bytes.append(byte)
        }
        self.init(digest: bytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes.map { String(format: "%02x", $0) }.joined())
    }
}
