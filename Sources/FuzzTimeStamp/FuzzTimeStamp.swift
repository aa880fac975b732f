import FuzzSupport

@main
enum FuzzTimeStamp {
    static func main() { FuzzDriver.main(fuzzTimeStamp) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimeStamp(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { 0 }
