import Foundation
internal import CLibgit2

/// Helpers to move strings between Swift and libgit2 without trusting repository bytes.
enum CString {
    /// Decodes a NUL-terminated C string leniently (invalid UTF-8 becomes U+FFFD); nil gives "".
    static func decode(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        let count = strlen(pointer)
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// Decodes the bytes held by a `git_buf` leniently.
    static func decode(_ buffer: git_buf) -> String {
        guard let pointer = buffer.ptr else { return "" }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: buffer.size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: buffer.size), as: UTF8.self)
        }
    }

    /// Copies the bytes held by a `git_buf`.
    static func data(_ buffer: git_buf) -> Data {
        guard let pointer = buffer.ptr, buffer.size > 0 else { return Data() }
        return Data(bytes: pointer, count: buffer.size)
    }

    /// Calls `body` with a `git_strarray` that holds copies of `strings`, freed afterwards.
    static func withStrarray<R>(
        _ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws -> R
    ) rethrows -> R {
        var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return try copies.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return try body(&array)
        }
    }
}
