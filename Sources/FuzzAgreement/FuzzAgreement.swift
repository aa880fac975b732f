import Foundation
import FuzzSupport
import SigitCore

/// Feeds one input to the `agreement.yml` parser. Nothing may trap.
@main
enum FuzzAgreement {
    static func main() { FuzzDriver.main(fuzzAgreement) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAgreement(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    _ = try? AgreementSpec(yaml: data, file: AgreementSpec.fileName)
    return 0
}
