import Crypto
import Foundation
import SwiftASN1
import Testing
@testable import TrustedTime
import X509

/// Spec 8's refusals, each with the typed error TrustedTime names and `openssl ts -verify` failing on the same bytes.
@Suite("Spec 8: tokens that do not count")
struct TimeStampRefusalTests {
    let fixture: TSAFixture

    init() throws { fixture = try TSAFixture.shared.get() }

    /// A fresh event, its imprint, and a token from `profile` over it.
    func stamped(by profile: TSAProfile = .p256, nonce: UInt64? = nil) async throws -> (event: Data, imprint: Data, token: TimeStampToken) {
        let event = Data("event \(UUID())\n".utf8)
        return (event, Data(SHA256.hash(data: event)), try await fixture.stamp(event, by: profile, nonce: nonce))
    }

    @Test("a token from a TSA that chains to no listed authority does not count")
    func unlistedTSA() async throws {
        let (_, imprint, token) = try await stamped(by: .unlisted)
        let tsa = try fixture.certificate(.unlisted)
        #expect(throws: TrustedTimeError.untrustedAuthority(TrustedTimeError.printable(tsa.subject.description))) {
            try token.verify(imprint: imprint, trustedRoots: [fixture.rootA])
        }
        #expect(!(try fixture.opensslVerify(token.der, check: ["-digest", imprint.hex], trust: ["caA.pem"]).ok))
        // Control: the same token counts for whoever lists CA B.
        _ = try token.verify(imprint: imprint, trustedRoots: [fixture.rootB])
        #expect(try fixture.opensslVerify(token.der, check: ["-digest", imprint.hex], trust: ["caB.pem"]).ok)
    }

    @Test("a token over another event does not count")
    func otherImprint() async throws {
        let (_, imprint, token) = try await stamped()
        let other = Data(SHA256.hash(data: Data("another commit".utf8)))
        #expect(throws: TrustedTimeError.imprintMismatch) { try token.verify(imprint: other, trustedRoots: [fixture.rootA]) }
        #expect(!(try fixture.opensslVerify(token.der, check: ["-digest", other.hex], trust: ["caA.pem"]).ok))
        _ = try token.verify(imprint: imprint, trustedRoots: [fixture.rootA])
    }

    @Test("a tampered genTime does not count: the message digest no longer matches, and with it rewritten the signature fails",
          arguments: [TSAProfile.rsa, .p256])
    func tamperedGenTime(profile: TSAProfile) async throws {
        let (_, imprint, token) = try await stamped(by: profile)
        // The TSTInfo re-encoded with genTime a year earlier (same length, so every enclosing length stays).
        var timeCoder = DER.Serializer()
        try timeCoder.serialize(token.info.generalizedTime)
        let oldTime = timeCoder.serializedBytes
        var newTime = oldTime
        newTime[5] = newTime[5] == UInt8(ascii: "0") ? UInt8(ascii: "1") : newTime[5] - 1 // the year's last digit
        let onlyTime = try replacing(oldTime, with: newTime, in: Array(token.der))
        let backdated = try TimeStampToken(der: Data(onlyTime))
        #expect(backdated.info.genTime < token.info.genTime)
        #expect(throws: TrustedTimeError.messageDigestMismatch) { try backdated.verify(imprint: imprint, trustedRoots: [fixture.rootA]) }
        #expect(!(try fixture.opensslVerify(backdated.der, check: ["-digest", imprint.hex], trust: ["caA.pem"]).ok))

        // The forger also rewrites the message-digest attribute to the new TSTInfo's hash: the signature fails.
        let oldDigest = try #require(token.messageDigestAttribute)
        let newDigest = token.signerDigestAlgorithm.hash(backdated.signedData.content)
        let resigned = try TimeStampToken(der: Data(try replacing(oldDigest, with: newDigest, in: onlyTime)))
        #expect(throws: TrustedTimeError.signatureInvalid) { try resigned.verify(imprint: imprint, trustedRoots: [fixture.rootA]) }
        #expect(!(try fixture.opensslVerify(resigned.der, check: ["-digest", imprint.hex], trust: ["caA.pem"]).ok))
    }

    @Test("a token whose genTime is outside the TSA certificate's validity does not count")
    func expiredTSACertificate() async throws {
        let (_, imprint, token) = try await stamped(by: .expired)
        let tsa = try fixture.certificate(.expired)
        #expect(throws: TrustedTimeError.genTimeOutsideValidity(genTime: token.info.genTime, notBefore: tsa.notValidBefore, notAfter: tsa.notValidAfter)) {
            try token.verify(imprint: imprint, trustedRoots: [fixture.rootA])
        }
        #expect(tsa.notValidAfter < token.info.genTime)
        let openssl = try fixture.opensslVerify(token.der, check: ["-digest", imprint.hex], trust: ["caA.pem"])
        #expect(!openssl.ok)
        #expect(openssl.output.contains("expired"), "\(openssl.output)")
    }

    @Test("a token whose nonce is not the one sent does not count; one sent and none carried neither")
    func wrongNonce() async throws {
        let sent: UInt64 = 0x1234_5678
        let (event, imprint, token) = try await stamped(nonce: sent)
        _ = try token.verify(imprint: imprint, trustedRoots: [fixture.rootA], nonce: sent)
        #expect(throws: TrustedTimeError.nonceMismatch) { try token.verify(imprint: imprint, trustedRoots: [fixture.rootA], nonce: sent + 1) }
        // openssl checks the nonce against a request: the one sent passes, another fails.
        let other = try fixture.scratch.write(TimeStampRequest(imprint: imprint, nonce: sent + 1, certReq: true).der, to: "other-nonce.tsq")
        let same = try fixture.scratch.write(TimeStampRequest(imprint: imprint, nonce: sent, certReq: true).der, to: "same-nonce.tsq")
        #expect(!(try fixture.opensslVerify(token.der, check: ["-queryfile", other], trust: ["caA.pem"]).ok))
        #expect(try fixture.opensslVerify(token.der, check: ["-queryfile", same], trust: ["caA.pem"]).ok)

        let withoutNonce = try await fixture.stamp(event, by: .p256)
        #expect(withoutNonce.info.nonce == nil)
        #expect(throws: TrustedTimeError.nonceMissing) { try withoutNonce.verify(imprint: imprint, trustedRoots: [fixture.rootA], nonce: sent) }
    }

    @Test("a truncated token is malformed, at every length; openssl cannot read it either")
    func truncated() async throws {
        let (_, imprint, token) = try await stamped(by: .rsa)
        for length in stride(from: 0, to: token.der.count, by: 7) {
            #expect(throws: TrustedTimeError.self) { _ = try TimeStampToken(der: token.der.prefix(length)) }
        }
        do {
            _ = try TimeStampToken(der: token.der.dropLast())
            Issue.record("a token one byte short parsed")
        } catch {
            guard case .malformed = error else { Issue.record("expected malformed, got \(error)"); return }
        }
        #expect(!(try fixture.opensslVerify(token.der.prefix(token.der.count / 2), check: ["-digest", imprint.hex], trust: ["caA.pem"]).ok))
    }

    @Test("random bytes are refused with a typed error, never a crash")
    func randomBytes() throws {
        var generator = SeededGenerator(seed: 3161)
        for round in 0..<300 {
            let count = round < 100 ? Int.random(in: 0...64, using: &generator) : Int.random(in: 0...2048, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = 0x30 } // a SEQUENCE, to get past the first check
            #expect(throws: TrustedTimeError.self) { _ = try TimeStampToken(der: Data(bytes)) }
            #expect(throws: TrustedTimeError.self) { _ = try TimeStampResponse(der: Data(bytes)) }
        }
        let noise = try fixture.scratch.write(Data((0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }), to: "noise.der")
        #expect(!(try fixture.opensslVerify(Data(contentsOf: URL(fileURLWithPath: noise)), check: ["-digest", String(repeating: "00", count: 32)], trust: ["caA.pem"]).ok))
    }

    @Test("only a certificate whose critical extended key usage is timeStamping alone signs tokens; openssl's TSA refuses the others too")
    func timeStampingUsage() async throws {
        let read = { (name: String) throws -> Certificate in try Certificate(pemEncoded: fixture.scratch.read(name)) }
        #expect(throws: Never.self) { try TimeStampToken.checkTimeStampingUsage(fixture.certificate(.p256)) }
        #expect(throws: TrustedTimeError.notTimeStampingCertificate("its extended key usage is not critical")) {
            try TimeStampToken.checkTimeStampingUsage(read("tsa-eku-noncritical.pem"))
        }
        #expect(throws: TrustedTimeError.notTimeStampingCertificate("its extended key usage is not timeStamping alone")) {
            try TimeStampToken.checkTimeStampingUsage(read("tsa-eku-two.pem"))
        }
        #expect(throws: TrustedTimeError.notTimeStampingCertificate("it has no extended key usage")) {
            try TimeStampToken.checkTimeStampingUsage(fixture.rootA)
        }
        await #expect(throws: ToolFailure.self) { _ = try await fixture.stamp(Data("usage".utf8), by: .nonCriticalUsage) }
    }

    /// `bytes` with the one occurrence of `old` replaced by `new` (same length).
    func replacing(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8]) throws -> [UInt8] {
        let starts = (0...(bytes.count - old.count)).filter { bytes[$0..<($0 + old.count)].elementsEqual(old) }
        guard starts.count == 1, let start = starts.first, old.count == new.count else {
            throw ToolFailure(description: "expected one occurrence, found \(starts.count)")
        }
        var result = bytes
        result.replaceSubrange(start..<(start + old.count), with: new)
        return result
    }
}
