import Foundation
import FuzzSupport
import SigitCore

/// Feeds one input to the policy parser; a policy that parses and that `yaml()` writes must parse
/// again (sigit rewrites the policy with `yaml()` on every change). Nothing may trap.
@main
enum FuzzPolicy {
    static func main() { FuzzDriver.main(fuzzPolicy) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    guard let policy = try? Policy(yaml: data) else { return 0 }
    _ = policy.allowedSigners()
    // yaml() may refuse with an error (a policy too large to write); what it writes must read back.
    guard let written = try? policy.yaml() else { return 0 }
    guard (try? Policy(yaml: written)) != nil else { fatalError("sigit wrote a policy it cannot read back") }
    return 0
}
