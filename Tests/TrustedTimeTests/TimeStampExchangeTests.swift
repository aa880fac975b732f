import Crypto
import Foundation
import Testing
@testable import TrustedTime

/// RFC 3161 2.4 and 3.4: the request sigit sends and the response it reads, against openssl.
@Suite("RFC 3161: requests and responses over HTTP")
struct TimeStampExchangeTests {
    let fixture: TSAFixture

    init() throws { fixture = try TSAFixture.shared.get() }

    @Test("openssl reads sigit's request as written: SHA-256 imprint, nonce, certReq", arguments: [(UInt64?.some(0xFEDC_BA98_7654_3210), true), (nil, false)])
    func requestAsOpenSSLReadsIt(nonce: UInt64?, certReq: Bool) throws {
        let imprint = Data(SHA256.hash(data: Data("request \(UUID())".utf8)))
        let request = TimeStampRequest(imprint: imprint, nonce: nonce, certReq: certReq)
        let path = try fixture.scratch.write(request.der, to: "request-\(UUID().uuidString.prefix(8)).tsq")
        let text = try fixture.tools.succeed("openssl", ["ts", "-query", "-in", path, "-text"]).text
        #expect(text.contains("Hash Algorithm: sha256"))
        // "    0000 - 6b 34 2d 7e 70 b6 d9 3e-23 8a ...   k4-~p..>": the hex columns of openssl's dump.
        let dumped = text.split(separator: "\n").filter { $0.hasPrefix("    00") }.map { line in
            String(line.dropFirst(11).prefix(47)).replacingOccurrences(of: "-", with: " ").split(separator: " ").joined()
        }.joined()
        #expect(dumped == imprint.hex, "\(text)")
        #expect(text.contains("Certificate required: \(certReq ? "yes" : "no")"))
        if let nonce {
            #expect(text.contains("Nonce: 0x\(String(nonce, radix: 16).uppercased())"))
        } else {
            #expect(text.contains("Nonce: unspecified"))
        }
    }

    @Test("a granted response carries the token; a rejection names its failure and carries none")
    func grantedAndRejected() async throws {
        let imprint = Data(SHA256.hash(data: Data("exchange \(UUID())".utf8)))
        let request = TimeStampRequest(imprint: imprint, nonce: 7, certReq: true)
        let granted = try TimeStampResponse(der: try await fixture.post(request, to: .p384))
        #expect(granted.status == .granted)
        let token = try granted.grantedToken()
        _ = try token.verify(imprint: imprint, trustedRoots: [fixture.rootA], nonce: 7)

        // This TSA accepts SHA-512 imprints only: openssl answers rejection, badAlg.
        let rejected = try TimeStampResponse(der: try await fixture.post(request, to: .sha512Only))
        #expect(rejected.status == .rejection)
        #expect(rejected.token == nil)
        #expect(rejected.failures == ["badAlg"])
        do {
            _ = try rejected.grantedToken()
            Issue.record("a rejection gave a token")
        } catch {
            guard case .requestRejected(let text) = error else { Issue.record("expected requestRejected, got \(error)"); return }
            #expect(text.hasPrefix("rejection; badAlg"))
        }
    }

    @Test("every refusal renders as one line")
    func oneLineErrors() {
        let errors: [TrustedTimeError] = [
            .malformed("x"), .notATimeStampToken("x"), .unsupported("x"), .signerCount(2), .signerCertificateNotFound,
            .missingAttribute("x"), .contentTypeMismatch, .messageDigestMismatch, .signatureInvalid, .signingCertificateMismatch,
            .notTimeStampingCertificate("x"), .untrustedAuthority("CN=a\nb"), .genTimeOutsideValidity(genTime: Date(), notBefore: Date(), notAfter: Date()),
            .imprintAlgorithm("SHA-1"), .imprintMismatch, .nonceMissing, .nonceMismatch, .requestRejected("rejection"),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        for error in errors {
            #expect(!error.description.contains("\n") || error == .untrustedAuthority("CN=a\nb"))
        }
        #expect(TrustedTimeError.printable("CN=a\nb\u{1b}[2J") == "CN=a?b?[2J")
    }
}
