import Crypto
import Foundation

/// The content digest of an agreement folder (spec section 5).
public enum ContentDigest {
    /// One file of the folder: mode, path relative to the folder, bytes.
    public struct File {
        public var mode: UInt32
        public var path: String
        public var sha256: String
        public init(mode: UInt32, path: String, sha256: String) {
            self.mode = mode
            self.path = path
            self.sha256 = sha256
        }
    }

    /// `sha256:<hex>` over `<mode> <sha256 hex> <path>\n` lines sorted bytewise by path.
    public static func digest(_ files: [File]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }) {
            hasher.update(data: Data("\(String(file.mode, radix: 8)) \(file.sha256) \(file.path)\n".utf8))
        }
        return "sha256:" + hex(hasher.finalize())
    }

    /// Lower-case hex SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
