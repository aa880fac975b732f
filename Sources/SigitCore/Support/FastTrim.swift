import Foundation

extension String {
    /// `trimmingCharacters(in: set)` with a fast path for the common case: when the first and last bytes are ASCII
    /// and not whitespace, nothing can be trimmed, and Foundation (slow on Linux) is not called. Same result always.
    func trimmedFast(_ set: CharacterSet) -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
        if plain(first) && plain(last) { return self }
        return trimmingCharacters(in: set)
    }
}

extension Dictionary {
    /// The same values under transformed keys (a later duplicate key wins).
    func mapKeys<K: Hashable>(_ transform: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(map { (transform($0.key), $0.value) }, uniquingKeysWith: { _, b in b })
    }
}
