/// The SSH wire encoding (RFC 4251 section 5).
struct Wire {
    var bytes: [UInt8] = []
    mutating func raw(_ data: [UInt8]) { bytes += data }
    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func uint32(_ value: UInt32) { bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    mutating func string(_ data: [UInt8]) { uint32(UInt32(data.count)); bytes += data }
    mutating func string(_ text: String) { string(Array(text.utf8)) }
}
