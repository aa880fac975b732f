/// Reads the SSH wire encoding; nil past the end.
struct WireReader {
    let bytes: [UInt8]
    var offset = 0
    mutating func take(_ n: Int) -> [UInt8]? {
        guard n >= 0, offset + n <= bytes.count else { return nil }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }
    mutating func uint32() -> UInt32? { take(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } } }
    mutating func string() -> [UInt8]? { uint32().flatMap { take(Int($0)) } }
}
