/// The SHA-1 name of a git object, held by value so it can cross threads and be used as a key.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The 20 raw bytes of the name, big-endian in three words: held inline (no heap storage to retain and release
    /// every time an id is copied, hashed or compared, which the ledger does for every commit).
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// The all-zero id git uses for "no object".
    public static let zero = ObjectID(bytes: [UInt8](repeating: 0, count: 20))

    /// The number of raw bytes of an id.
    public static let rawSize = 20

    /// Wraps 20 raw bytes; callers guarantee the count.
    init(bytes: [UInt8]) {
        precondition(bytes.count == Self.rawSize, "an object id has 20 bytes")  // internal callers only
        self = bytes.withUnsafeBytes { ObjectID(raw: $0) }
    }

    /// Reads the first 20 bytes of `raw`; callers guarantee there are 20.
    init(raw: UnsafeRawBufferPointer) {
        func word(_ start: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in start..<start + count { value = value << 8 | UInt64(raw[i]) }
            return value
        }
        high = word(0, 8)
        middle = word(8, 8)
        low = UInt32(word(16, 4))
    }

    /// An id from its 20 raw bytes; nil for any other count.
    public init?(raw: some Collection<UInt8>) {
        guard raw.count == Self.rawSize else { return nil }
        self.init(bytes: Array(raw))
    }

    /// The 20 raw bytes of the name.
    public var raw: [UInt8] { bytes }

    /// The name as three big-endian words (bytes 0–7, 8–15, 16–19), for compact storage without an array.
    public var words: (UInt64, UInt64, UInt32) { (high, middle, low) }

    /// An id from the three words of `words`.
    public init(words: (UInt64, UInt64, UInt32)) {
        (high, middle, low) = words
    }

    /// The 20 raw bytes of the name.
    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(20)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift))) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt32(shift))) }
        return out
    }

    /// Parses 40 hexadecimal digits (either case); nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes: bytes)
    }

    /// The 40 lowercase hexadecimal digits of the id.
    public var hex: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var digits = [UInt8]()
        digits.reserveCapacity(40)
        for byte in bytes {
            digits.append(alphabet[Int(byte >> 4)])
            digits.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// True for the all-zero id.
    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    /// The hexadecimal form, as git prints it.
    public var description: String { hex }

    /// Orders ids by their bytes, which is also the order of their hex forms.
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    /// The value of one ASCII hex digit.
    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension ObjectID: Codable {
    /// Encoded as its 40 hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let id = ObjectID(hex: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an object id")
        }
        self = id
    }
}
