import Foundation

/// Builds the SSH wire encoding (RFC 4251 section 5): `uint32`, `string`, `mpint`.
struct SSHWireWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// The bytes written so far, as `Data`.
    var data: Data { Data(bytes) }

    /// Appends raw bytes with no length prefix.
    mutating func writeRaw<C: Collection>(_ raw: C) where C.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Appends one byte.
    mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a big-endian `uint32`.
    mutating func writeUInt32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a `string`: the length as `uint32`, then the bytes.
    mutating func writeString<C: Collection>(_ raw: C) where C.Element == UInt8 {
        writeUInt32(UInt32(truncatingIfNeeded: raw.count))
        bytes.append(contentsOf: raw)
    }

    /// Appends a text `string` in UTF-8.
    mutating func writeString(_ text: String) {
        writeString(Array(text.utf8))
    }

    /// Appends a non-negative `mpint` given its big-endian magnitude.
    mutating func writePositiveMPInt<C: Collection>(_ magnitude: C) where C.Element == UInt8 {
        var trimmed = Array(magnitude.drop(while: { $0 == 0 }))
        if let first = trimmed.first, first & 0x80 != 0 {
            trimmed.insert(0, at: 0)
        }
        writeString(trimmed)
    }
}
