import Foundation

/// Reads the SSH wire encoding (RFC 4251 section 5) from untrusted bytes without trapping.
///
/// Every length field is checked against the bytes that remain, so truncated or hostile
/// input ends in `SSHSigError.malformed`, never in an out-of-bounds access.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset: Int = 0
    private let context: String

    /// Starts reading `data`; `context` names the structure in error messages.
    init(_ data: Data, context: String) {
        self.bytes = [UInt8](data)
        self.context = context
    }

    /// Starts reading `bytes`; `context` names the structure in error messages.
    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    /// The number of bytes not read yet.
    var remaining: Int { bytes.count - offset }

    /// True when every byte has been read.
    var isAtEnd: Bool { offset == bytes.count }

    /// Fails unless every byte has been read (the structure has no trailing garbage).
    func expectEnd() throws(SSHSigError) {
        guard isAtEnd else {
            throw .malformed("\(context) has \(remaining) unexpected trailing bytes")
        }
    }

    /// Reads exactly `count` raw bytes.
    mutating func readBytes(_ count: Int) throws(SSHSigError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw .malformed("\(context) is truncated")
        }
        let slice = Array(bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// Reads one byte.
    mutating func readByte() throws(SSHSigError) -> UInt8 {
        guard remaining >= 1 else { throw .malformed("\(context) is truncated") }
        let value = bytes[offset]
        offset += 1
        return value
    }

    /// Reads a big-endian `uint32`.
    mutating func readUInt32() throws(SSHSigError) -> UInt32 {
        let raw = try readBytes(4)
        return raw.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
    }

    /// Reads a `string`: a `uint32` length, bounded by the remaining bytes, then that many bytes.
    mutating func readString() throws(SSHSigError) -> [UInt8] {
        let length = try readUInt32()
        guard UInt64(length) <= UInt64(remaining) else {
            throw .malformed("\(context) has a length field of \(length) bytes but only \(remaining) remain")
        }
        return try readBytes(Int(length))
    }

    /// Reads a `string` that must be valid UTF-8 text.
    mutating func readText() throws(SSHSigError) -> String {
        let raw = try readString()
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw .malformed("\(context) has a text field that is not UTF-8")
        }
        return text
    }

    /// Reads an `mpint` of a signature as OpenSSH's `sshbuf_get_bignum2` does and returns its magnitude without
    /// leading zeros: negative values and numbers longer than 16384 bits are refused, superfluous leading zero bytes
    /// are accepted (ssh-keygen verifies such signatures).
    mutating func readSignatureMPInt() throws(SSHSigError) -> [UInt8] {
        let raw = try readString()
        if let first = raw.first, first & 0x80 != 0 {
            throw .malformed("\(context) has a negative integer")
        }
        guard raw.count <= 2049, raw.count < 2049 || raw.first == 0 else {
            throw .malformed("\(context) has an integer longer than 16384 bits")
        }
        return Array(raw.drop(while: { $0 == 0 }))
    }

    /// Reads a positive `mpint` and returns its magnitude, big-endian, without leading zeros.
    ///
    /// Like OpenSSH, rejects negative values and non-minimal encodings (a leading zero byte
    /// that is not needed to keep the value positive).
    mutating func readPositiveMPInt() throws(SSHSigError) -> [UInt8] {
        let raw = try readString()
        guard let first = raw.first else { return [] }
        guard first & 0x80 == 0 else {
            throw .malformed("\(context) has a negative integer")
        }
        if first == 0 {
            guard raw.count > 1, raw[1] & 0x80 != 0 else {
                throw .malformed("\(context) has a non-minimal integer")
            }
            return Array(raw.dropFirst())
        }
        return raw
    }
}
