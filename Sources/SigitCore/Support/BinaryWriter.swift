import Foundation
import GitKit

/// Writes the compact binary form of the state snapshot: unsigned LEB128 varints, raw object ids, and strings and
/// blobs (and values many records repeat) interned on first use (written in full once, then referred to by number), so the identity names, digests
/// and key blobs that every event repeats are stored and decoded once. `BinaryReader` reads it back.
struct BinaryWriter {
    /// What was written so far.
    private(set) var bytes: [UInt8] = []
    private var strings: [Exact: Int] = [:]
    private var blobs: [Data: Int] = [:]
    private var values: [AnyHashable: Int] = [:]

    /// An empty writer.
    init() {}

    /// A non-negative number as a varint; a negative one is a programming error and writes 0 (the reader's checks
    /// then see a different state than the writer meant, and the comparison tests catch it).
    mutating func count(_ value: Int) {
        uint(UInt64(max(value, 0)))
    }

    /// A signed number (zigzag varint).
    mutating func int(_ value: Int) {
        let v = Int64(value)
        uint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    mutating func uint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// A time, exactly (the bits of its Double).
    mutating func date(_ value: Date) {
        uint(value.timeIntervalSinceReferenceDate.bitPattern)
    }

    mutating func id(_ value: ObjectID) {
        let (high, middle, low) = value.words
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
    }

    /// A string: 0, its length and its UTF-8 the first time; its number + 1 after that.
    mutating func string(_ value: String) {
        if let known = strings[Exact(value)] { return uint(UInt64(known) + 1) }
        strings[Exact(value)] = strings.count
        uint(0)
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    /// Bytes, interned like strings.
    mutating func data(_ value: Data) {
        if let known = blobs[value] { return uint(UInt64(known) + 1) }
        blobs[value] = blobs.count
        uint(0)
        count(value.count)
        bytes.append(contentsOf: value)
    }

    /// A value many records repeat (a workflow of a template), written in full once and then referred to by number,
    /// so the reader builds it once and every record shares it. A value is numbered after everything inside it.
    mutating func shared<T: Hashable>(_ value: T, _ write: (inout BinaryWriter, T) -> Void) {
        if let known = values[AnyHashable(value)] { return uint(UInt64(known) + 1) }
        uint(0)
        write(&self, value)
        values[AnyHashable(value)] = values.count
    }

    /// Bytes as they are (the reader must know how many).
    mutating func raw(_ value: Data) {
        bytes.append(contentsOf: value)
    }

    /// A flag, then the value when present.
    mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    /// The count, then each element.
    mutating func array<T>(_ values: some Collection<T>, _ write: (inout BinaryWriter, T) -> Void) {
        count(values.count)
        for value in values { write(&self, value) }
    }

    /// A string compared by its UTF-8 bytes: `String`'s own equality treats canonically equivalent text as equal,
    /// and interning must give back exactly the bytes that were written.
    private struct Exact: Hashable {
        let value: String
        init(_ value: String) { self.value = value }
        static func == (a: Exact, b: Exact) -> Bool { a.value.utf8.elementsEqual(b.value.utf8) }
        func hash(into hasher: inout Hasher) {
            let done: Void? = value.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            if done == nil { for byte in value.utf8 { hasher.combine(byte) } }
        }
    }
}
