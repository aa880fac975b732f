import Foundation
import GitKit
import SSHSig
import Testing
@testable import SigitCore

/// Spec section 7: the verifier reads each FIDO signature's type, flags and counter (for evidence and the rules
/// to come) without changing which signatures are good, and the signature cache keeps them.
@Suite("FIDO signature details in the verifier")
struct SignatureDetailsTests {
    static let payload = Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 1 +0000\ncommitter a <a@b> 1 +0000\n\nx\n".utf8)

    @Test("checkWithDetails answers as check does, and adds the flags and counter of a FIDO signature")
    func checkWithDetails() throws {
        let authenticator = try SoftwareAuthenticator(kind: .p256)
        let armored = try authenticator.armored(Self.payload, flags: 0x05, counter: 77, webauthn: .init(origin: "https://sigit.example"))
        let (check, details) = SignatureCheck.checkWithDetails(armored: armored, payload: Self.payload)
        #expect(check.key?.openSSH == authenticator.publicKeyLine)
        #expect(details?.algorithm == "webauthn-sk-ecdsa-sha2-nistp256@openssh.com")
        #expect(details?.flags == 0x05 && details?.counter == 77 && details?.webauthnOrigin == "https://sigit.example")
        #expect(SignatureCheck.check(armored: armored, payload: Self.payload).key == check.key)

        let tampered = SignatureCheck.checkWithDetails(armored: armored, payload: Self.payload + Data("!".utf8))
        #expect(tampered.check.key == nil && tampered.details == nil)
        #expect(SignatureCheck.check(armored: armored, payload: Self.payload + Data("!".utf8)).key == nil)

        let software = try SSHSignature.sign(Self.payload, with: SSHPrivateKey.generateEd25519(comment: ""))
        let plain = SignatureCheck.checkWithDetails(armored: software.armored, payload: Self.payload)
        #expect(plain.check.key != nil && plain.details?.isHardwareBacked == false && plain.details?.flags == nil)
    }

    @Test("the signature cache keeps a FIDO signature's details (format 3) next to ordinary answers, and gives them back")
    func cacheRoundTrip() throws {
        let scratch = try ScratchDirectory()
        let gitDir = try scratch.sub("git", directory: true)
        let fido = try SoftwareAuthenticator(kind: .ed25519)
        let armored = try fido.armored(Self.payload, flags: 0x01, counter: 0xFFFF_FFF0)
        let (check, details) = SignatureCheck.checkWithDetails(armored: armored, payload: Self.payload)
        let webauthnKey = try SoftwareAuthenticator(kind: .p256)
        let webauthn = SignatureCheck.checkWithDetails(
            armored: try webauthnKey.armored(Self.payload, flags: 0x04, counter: 3, webauthn: .init(origin: "https://a.example")), payload: Self.payload)
        let software = try SSHSignature.sign(Self.payload, with: SSHPrivateKey.generateEd25519(comment: ""))
        let plain = SignatureCheck.checkWithDetails(armored: software.armored, payload: Self.payload)
        let ids = (1...5).map { ObjectID(raw: [UInt8](repeating: UInt8($0), count: ObjectID.rawSize))! }
        let event = EventID(payload: Self.payload)

        let cache = SignatureCache(gitDir: gitDir)
        cache.record(ids[0], check, event: event, details: details)
        cache.record(ids[1], plain.check, event: event, details: plain.details)
        cache.record(ids[2], .unsigned, event: nil)
        cache.record(ids[3], .invalid("no"), event: nil)
        cache.record(ids[4], webauthn.check, event: event, details: webauthn.details)
        cache.save()
        let file = try Data(contentsOf: URL(fileURLWithPath: gitDir + "/sigit/cache/signatures-v1"))
        #expect(file.starts(with: Data("sigit-signature-cache 3\n".utf8)))

        let again = SignatureCache(gitDir: gitDir).entries
        #expect(again.count == 5)
        #expect(again[ids[0]]?.key == check.key && again.details(ids[0]) == details)
        #expect(again.details(ids[0])?.counter == 0xFFFF_FFF0 && again.details(ids[0])?.flags == 0x01)
        #expect(again.details(ids[4]) == webauthn.details && again.details(ids[4])?.webauthnOrigin == "https://a.example")
        #expect(again[ids[1]]?.key == plain.check.key && again.details(ids[1]) == nil)
        #expect(again.event(ids[0]) == event)
        if case .invalid(let reason)? = again[ids[3]] { #expect(reason == "no") } else { Issue.record("the invalid answer was lost") }
    }

    @Test("a cache of the previous format (2) is ignored and rebuilt, never read as format 3")
    func oldFormatIgnored() throws {
        let scratch = try ScratchDirectory()
        let gitDir = try scratch.sub("git", directory: true)
        let cache = SignatureCache(gitDir: gitDir)
        cache.record(ObjectID(raw: [UInt8](repeating: 9, count: ObjectID.rawSize))!, .unsigned, event: nil)
        cache.save()
        let path = gitDir + "/sigit/cache/signatures-v1"
        var file = try Data(contentsOf: URL(fileURLWithPath: path))
        file.replaceSubrange(0..<SignatureCache.magic.count, with: Data("sigit-signature-cache 2\n".utf8))
        try file.write(to: URL(fileURLWithPath: path))
        #expect(SignatureCache(gitDir: gitDir).entries.count == 0)
    }
}
