import Foundation
import SSHSig
import Testing
@testable import SigitCore

/// Spec section 7: "Evidence shows, per event, the key type, whether it is hardware-backed, the flags and the
/// counter": the words and short forms every renderer uses.
@Suite("Signature evidence: words and short forms")
struct SignatureEvidenceTests {
    @Test("short names drop OpenSSH's decoration", arguments: [
        ("ssh-ed25519", "ed25519"), ("sk-ssh-ed25519@openssh.com", "sk-ed25519"), ("ecdsa-sha2-nistp256", "ecdsa-p256"),
        ("sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-p256"), ("webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "webauthn-sk-ecdsa-p256"),
        ("ssh-rsa", "rsa"), ("rsa-sha2-512", "rsa-sha2-512"),
    ])
    func shortNames(type: String, short: String) {
        #expect(SignatureEvidence.shortName(type) == short)
    }

    @Test("flags as words and in the summary: UP, UV, both, neither (no-UP); the counter, 0 included; a software key has none",
          arguments: [(UInt8(0x05), UInt32(7), "sk-ed25519 hw UP UV #7", "flags 0x05 (UP UV), counter 7"),
                      (0x01, 0, "sk-ed25519 hw UP #0", "flags 0x01 (UP), counter 0"),
                      (0x04, 42, "sk-ed25519 hw UV #42", "flags 0x04 (UV), counter 42"),
                      (0x00, 3, "sk-ed25519 hw no-UP #3", "flags 0x00 (no-UP), counter 3"),
                      (0x85, 9, "sk-ed25519 hw UP UV #9", "flags 0x85 (UP UV), counter 9")])
    func flags(flags: UInt8, counter: UInt32, summary: String, words: String) {
        let details = SSHSignatureDetails(algorithm: "sk-ssh-ed25519@openssh.com", isHardwareBacked: true, flags: flags, counter: counter, webauthnOrigin: nil)
        let evidence = SignatureEvidence(keyType: "sk-ssh-ed25519@openssh.com", details: details)
        #expect(evidence.flags == Int(flags) && evidence.counter == counter && evidence.hardware)
        #expect(evidence.summary(keyType: "sk-ssh-ed25519@openssh.com") == summary)
        #expect(evidence.description(keyType: "sk-ssh-ed25519@openssh.com") == "sk-ssh-ed25519@openssh.com, hardware-backed, " + words)
    }

    @Test("a software key: hardware false, no flags, counter or type; its details (if any) are not shown as a FIDO signature's")
    func software() {
        let details = SSHSignatureDetails(algorithm: "rsa-sha2-512", isHardwareBacked: false, flags: nil, counter: nil, webauthnOrigin: nil)
        for evidence in [SignatureEvidence(keyType: "ssh-rsa", details: nil), SignatureEvidence(keyType: "ssh-rsa", details: details)] {
            #expect(evidence == SignatureEvidence(hardware: false, type: nil, flags: nil, userPresence: nil, userVerification: nil, counter: nil, origin: nil))
            #expect(evidence.summary(keyType: "ssh-rsa") == "rsa")
            #expect(evidence.description(keyType: "ssh-rsa") == "ssh-rsa, software key")
        }
    }
}
