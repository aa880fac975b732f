import Foundation
import GitKit

/// Reads what `BinaryWriter` wrote. Every read is bounds-checked and throws `Malformed` instead of trapping: the
/// snapshot is checksummed, but a reader must still never crash on bytes it did not expect.
struct BinaryReader {
    /// The bytes do not hold what the reader expected.
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var position: Int
    private var strings: [String] = []
    private var blobs: [Data] = []
    private var values: [Any] = []

    /// Reads `bytes` from `position`.
    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { position == bytes.count }

    mutating func uint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw Malformed() }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A count of things still to read: at most the bytes left, so a bad count cannot make a huge allocation.
    mutating func count() throws -> Int {
        let value = try uint()
        guard value <= UInt64(bytes.count - position) else { throw Malformed() }
        return Int(value)
    }

    mutating func int() throws -> Int {
        let raw = try uint()
        let value = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        guard let result = Int(exactly: value) else { throw Malformed() }
        return result
    }

    mutating func bool() throws -> Bool {
        guard position < bytes.count, bytes[position] <= 1 else { throw Malformed() }
        position += 1
        return bytes[position - 1] == 1
    }

    mutating func date() throws -> Date {
        Date(timeIntervalSinceReferenceDate: Double(bitPattern: try uint()))
    }

    mutating func id() throws -> ObjectID {
        guard bytes.count - position >= ObjectID.rawSize else { throw Malformed() }
        func word(_ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for _ in 0..<count {
                value = value << 8 | UInt64(bytes[position])
                position += 1
            }
            return value
        }
        return ObjectID(words: (word(8), word(8), UInt32(word(4))))
    }

    mutating func string() throws -> String {
        let reference = try uint()
        if reference > 0 {
            guard reference <= UInt64(strings.count) else { throw Malformed() }
            return strings[Int(reference - 1)]
        }
        let length = try count()
        let value = String(decoding: bytes[position..<position + length], as: UTF8.self)
        position += length
        strings.append(value)
        return value
    }

    mutating func data() throws -> Data {
        let reference = try uint()
        if reference > 0 {
            guard reference <= UInt64(blobs.count) else { throw Malformed() }
            return blobs[Int(reference - 1)]
        }
        let length = try count()
        let value = Data(bytes[position..<position + length])
        position += length
        blobs.append(value)
        return value
    }

    /// The next `count` bytes as they are.
    mutating func raw(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else { throw Malformed() }
        position += count
        return bytes[position - count..<position]
    }

    /// A value `BinaryWriter.shared` wrote: read in full the first time, the same value after that.
    mutating func shared<T>(_ read: (inout BinaryReader) throws -> T) throws -> T {
        let reference = try uint()
        if reference > 0 {
            guard reference <= UInt64(values.count), let value = values[Int(reference - 1)] as? T else { throw Malformed() }
            return value
        }
        let value = try read(&self)
        values.append(value)
        return value
    }

    mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
        try bool() ? read(&self) : nil
    }

    mutating func array<T>(_ read: (inout BinaryReader) throws -> T) throws -> [T] {
        let n = try count()
        var values: [T] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try read(&self)) }
        return values
    }
}
