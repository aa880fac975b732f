import Foundation
import FuzzSupport
import TrustedTime
import X509

/// Feeds one input to TrustedTime's parsers: `TimeStampToken(der:)` and `TimeStampResponse(der:)`; a token
/// that parses is verified against its own imprint and nonce with its own certificates as the trusted ones
/// (so the signature, ESSCertID, key usage, chain and validity checks all run), and against no authority.
/// Nothing may trap.
@main
enum FuzzTimeStamp {
    static func main() { FuzzDriver.main(fuzzTimeStamp) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimeStamp(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    var tokens: [TimeStampToken] = []
    if let token = try? TimeStampToken(der: data) { tokens.append(token) }
    if let response = try? TimeStampResponse(der: data) {
        _ = try? response.grantedToken()
        if let token = response.token { tokens.append(token) }
    }
    for token in tokens {
        let info = token.info
        var nonce: UInt64?
        if let bytes = info.nonce, bytes.count <= 8 { nonce = bytes.reduce(0) { $0 << 8 | UInt64($1) } }
        _ = try? token.verify(imprint: info.messageImprint.hashedMessage, trustedRoots: token.certificates, nonce: nonce)
        _ = try? token.verify(imprint: info.messageImprint.hashedMessage, trustedRoots: [], nonce: 1)
        _ = info.messageImprint.algorithmName
        _ = info.accuracy?.interval
    }
    _ = TimeStampRequest(imprint: data.prefix(32), nonce: UInt64(count), certReq: count % 2 == 0).der
    return 0
}
