import Foundation
import FuzzSupport
import GitKit
import SigitCore

/// Feeds one input, as a commit message, to libgit2's trailer parser, the port of git's trailer block (both
/// readings) and the `Sigit-*` trailer checks, both as they are and the way `CommitRecord.load` reads a
/// commit. Nothing may trap.
@main
enum FuzzTrailers {
    static func main() { FuzzDriver.main(fuzzTrailers) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrailers(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let message = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let trailers = try? Message.trailers(message), let parsed = try? EventTrailers.parse(trailers) {
        _ = parsed.lines()
    }
    _ = try? EventTrailers.parse(message: message)
    _ = TrailerBlock(message: message, reading: .interpretTrailers)
    _ = TrailerBlock(message: message, reading: .log)
    return 0
}
