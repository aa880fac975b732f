import Crypto
import Foundation
import Testing
@testable import TrustedTime
import X509

/// Spec 8 "A token counts when its CMS signature verifies and chains to a listed authority, the imprint
/// matches, and genTime is inside the TSA certificate's validity": tokens of a real openssl TSA on loopback,
/// accepted by TrustedTime and, for the same bytes, by `openssl ts -verify`.
@Suite("Spec 8: time-stamp tokens of a real TSA verify")
struct TimeStampTokenTests {
    let fixture: TSAFixture

    init() throws { fixture = try TSAFixture.shared.get() }

    @Test("a token counts when it chains to a listed root; openssl agrees", arguments: TSAProfile.trusted)
    func tokenFromListedRoot(profile: TSAProfile) async throws {
        let event = Data("commit \(profile.section) \(UUID())\n".utf8)
        let nonce = UInt64.random(in: 1...UInt64.max)
        let token = try await fixture.stamp(event, by: profile, nonce: nonce)
        let imprint = Data(SHA256.hash(data: event))
        let verified = try token.verify(imprint: imprint, trustedRoots: [fixture.rootA], nonce: nonce)

        let tsa = try fixture.certificate(profile)
        #expect(verified.tsaCertificate == tsa)
        #expect(verified.authority == fixture.rootA)
        #expect(verified.tsaSubject.contains("sigit test TSA"))
        #expect(abs(verified.genTime.timeIntervalSinceNow) < 300)
        #expect(verified.policy == "1.3.6.1.4.1.99999.1.\(profile.section.count)")
        #expect(token.signerDigestAlgorithm.rawValue.lowercased().replacingOccurrences(of: "-", with: "") == profile.digest)
        #expect(token.signingCertificateID?.isVersion2 == (profile.essAlgorithm != "sha1"))
        #expect(token.certificates.contains(tsa))

        let openssl = try fixture.opensslVerify(token.der, check: ["-data", fixture.scratch.write(event, to: "event-\(profile.section)")], trust: ["caA.pem"])
        #expect(openssl.ok, "openssl ts -verify refused what TrustedTime accepted: \(openssl.output)")
    }

    @Test("a token counts when the TSA certificate itself is listed, also without certificates in the token", arguments: [TSAProfile.rsa, .p256])
    func tokenFromListedTSACertificate(profile: TSAProfile) async throws {
        let event = Data("listed tsa \(UUID())".utf8)
        let token = try await fixture.stamp(event, by: profile, certReq: false)
        #expect(token.certificates.isEmpty)
        let tsa = try fixture.certificate(profile)
        let verified = try token.verify(imprint: Data(SHA256.hash(data: event)), trustedRoots: [tsa])
        #expect(verified.authority == tsa)
        #expect(verified.tsaCertificate == tsa)
        // Without the certificate in the token or the list, there is nothing to check the signature with.
        #expect(throws: TrustedTimeError.signerCertificateNotFound) {
            try token.verify(imprint: Data(SHA256.hash(data: event)), trustedRoots: [fixture.rootB, fixture.certificate(.unlisted)])
        }
        let openssl = try fixture.opensslVerify(token.der, check: ["-digest", Data(SHA256.hash(data: event)).hex, "-partial_chain"],
                                                trust: [profile.certificate], untrusted: profile.certificate)
        #expect(openssl.ok, "openssl ts -verify -partial_chain refused what TrustedTime accepted: \(openssl.output)")
    }

    @Test("an RSA-PSS token counts; openssl ts cannot sign or check PSS, so openssl cms -cades signs the TSA's TSTInfo and checks it",
          arguments: [("sha256", DigestAlgorithm.sha256), ("sha512", .sha512)])
    func rsaPSS(digest: String, algorithm: DigestAlgorithm) async throws {
        let event = Data("pss \(UUID())".utf8)
        let imprint = Data(SHA256.hash(data: event))
        let original = try await fixture.stamp(event, by: .rsa)
        let id = UUID().uuidString.prefix(8)
        let tstInfo = try fixture.scratch.write(Data(original.signedData.content), to: "pss-\(id).tst")
        func sign(salt: String) throws -> Data {
            let out = fixture.scratch.path("pss-\(id)-\(salt).der")
            try fixture.tools.succeed("openssl", [
                "cms", "-sign", "-binary", "-nodetach", "-in", tstInfo, "-econtent_type", "1.2.840.113549.1.9.16.1.4",
                "-signer", "tsa-rsa.pem", "-inkey", "tsa-rsa.key", "-md", digest, "-keyopt", "rsa_padding_mode:pss",
                "-keyopt", "rsa_pss_saltlen:\(salt)", "-cades", "-nosmimecap", "-outform", "DER", "-out", out,
            ])
            return try Data(contentsOf: URL(fileURLWithPath: out))
        }
        let token = try TimeStampToken(der: sign(salt: "digest"))
        #expect(token.signer.scheme == .rsaPSS(algorithm))
        #expect(token.signingCertificateID?.isVersion2 == true)
        let verified = try token.verify(imprint: imprint, trustedRoots: [fixture.rootA])
        #expect(verified.genTime == original.info.genTime)
        let cms = try fixture.tools.run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", fixture.scratch.path("pss-\(id)-digest.der"),
                                                    "-CAfile", fixture.scratch.path("caA.pem"), "-purpose", "timestampsign", "-out", "/dev/null"])
        #expect(cms.status == 0, "openssl cms -verify refused what TrustedTime accepted: \(cms.stderr)")

        // A salt as long as the key allows: valid PSS, but not the form sigit checks (salt = hash length).
        do {
            _ = try TimeStampToken(der: sign(salt: "max"))
            Issue.record("a PSS token with the maximum salt parsed")
        } catch let error as TrustedTimeError {
            guard case .unsupported = error else { Issue.record("expected unsupported, got \(error)"); return }
        }
    }

    @Test("the TSTInfo is read as the TSA wrote it: policy, serial, nonce, genTime with fractions, accuracy, ordering, TSA name")
    func tstInfoFields() async throws {
        let event = Data("fields \(UUID())".utf8)
        let nonce: UInt64 = 0xF123_4567_89AB_CDEF // high bit set: the INTEGER needs a leading zero byte
        let token = try await fixture.stamp(event, by: .rsa, nonce: nonce)
        let text = try fixture.tools.succeed("openssl", ["ts", "-reply", "-in", fixture.scratch.write(token.der, to: "fields.der"), "-token_in", "-text"]).text
        let info = token.info
        #expect(text.contains("Policy OID: \(info.policy)"))
        #expect(text.contains("Serial number: 0x\(info.serialNumber.hex.uppercased())"))
        #expect(text.contains("Nonce: 0x\(String(nonce, radix: 16).uppercased())"))
        #expect(info.nonce == withUnsafeBytes(of: nonce.bigEndian, Array.init))
        #expect(info.accuracy?.seconds == 1 && info.accuracy?.milliseconds == 500 && info.accuracy?.microseconds == 100)
        #expect(text.contains("Accuracy: 0x01 seconds, 0x01F4 millis, 0x64 micros"))
        #expect(info.ordering)
        #expect(text.contains("Ordering: yes"))
        #expect(info.tsa != nil && text.contains("TSA: DirName:"))
        #expect(info.messageImprint.hashedMessage == Data(SHA256.hash(data: event)))
        // openssl prints genTime as "Time stamp: Dec  7 07:01:02.345 2026 GMT", fractions as written.
        let g = info.generalizedTime
        var clock = String(format: "%02d:%02d:%02d", g.hours, g.minutes, g.seconds)
        if !g.rawFractionalSeconds.isEmpty { clock += "." + String(decoding: g.rawFractionalSeconds, as: UTF8.self) }
        #expect(text.contains(" \(clock) \(g.year) GMT"), "genTime \(clock) not in: \(text)")
        #expect(abs(info.genTime.timeIntervalSince1970 - (info.genTime.timeIntervalSince1970.rounded(.down) + g.fractionalSeconds)) < 0.001)
    }
}

extension Collection where Element == UInt8 {
    /// Lowercase hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
