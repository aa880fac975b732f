extension EventID {
    /// The event id `text` writes as `sha256:<64 lowercase hex digits>` (the form `description` gives); nil otherwise.
    public init?(text: String) {
        let hex = Array(text.utf8)
        guard hex.count == 71, text.hasPrefix("sha256:") else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 7
        while index < 71 {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(digest: bytes)
    }

    /// The value of a lowercase hex digit.
    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
