import Foundation
import Testing
@testable import SSHSig

@Suite("Public keys")
struct PublicKeyTests {
    @Test("keys written by ssh-keygen parse, print back and fingerprint like ssh-keygen -l", arguments: [
        ("ed25519", nil), ("ecdsa", 256), ("rsa", 3072),
    ] as [(String, Int?)])
    func parsesKeygenKeys(type: String, bits: Int?) throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let path = try tool.keygen("key", type: type, bits: bits, comment: "alice@laptop")
        let line = try scratch.read("key.pub")
        let key = try SSHPublicKey(openSSH: line)

        #expect(key.comment == "alice@laptop")
        #expect(key.openSSH + " alice@laptop\n" == line)
        #expect(try SSHPublicKey(blob: key.blob) == key)
        let listed = try tool.succeed("ssh-keygen", ["-lf", path + ".pub"]).text
        let fields = listed.split(separator: " ")
        #expect(fields.count > 1 && String(fields[1]) == key.fingerprint)
    }

    @Test("the comment is optional and may contain spaces")
    func commentIsOptional() throws {
        let base = SSHPrivateKey.generateEd25519(comment: "").publicKey.openSSH
        #expect(try SSHPublicKey(openSSH: base).comment == nil)
        #expect(try SSHPublicKey(openSSH: "  \(base)\t\n").comment == nil)
        #expect(try SSHPublicKey(openSSH: "\(base) Alice Example <a@x>").comment == "Alice Example <a@x>")
        // As for ssh-keygen -l, a third field is a comment even when it looks like base64.
        #expect(try SSHPublicKey(openSSH: "\(base) AAAA").comment == "AAAA")
    }

    @Test("two keys are equal when algorithm and blob are, whatever their comments")
    func equalityIgnoresComment() throws {
        let base = SSHPrivateKey.generateEd25519(comment: "").publicKey.openSSH
        let one = try SSHPublicKey(openSSH: "\(base) one")
        let two = try SSHPublicKey(openSSH: "\(base) two")
        #expect(one == two)
        #expect(Set([one, two]).count == 1)
    }

    @Test("a key type other than ed25519, nistp256 or rsa is unsupported")
    func unknownTypeIsUnsupported() throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", type: "ecdsa", bits: 384)
        #expect(throws: SSHSigError.unsupportedKeyType("ecdsa-sha2-nistp384")) {
            try SSHPublicKey(openSSH: scratch.read("key.pub"))
        }
    }

    @Test("an RSA key shorter than 2048 bits is unsupported")
    func shortRSAIsUnsupported() throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", type: "rsa", bits: 1024)
        #expect(throws: SSHSigError.self) { try SSHPublicKey(openSSH: scratch.read("key.pub")) }
    }

    @Test("a line whose type disagrees with its key is rejected")
    func typeMustMatchBlob() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "").publicKey
        #expect(throws: SSHSigError.self) {
            try SSHPublicKey(openSSH: "ssh-rsa \(key.blob.base64EncodedString())")
        }
    }

    @Test("malformed lines are rejected", arguments: [
        "", "ssh-ed25519", "ssh-ed25519 !!!notbase64", "ssh-ed25519 AAAA",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEe16Tmyhs6nsENk9ODnvNz5v9SMAbiVLt/EdAhk7C9qAAAA",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEe16Tmyhs6nsENk9ODnvNz5v9SMAbiVLt/EdAhk7C9q=",
    ])
    func malformedLines(line: String) {
        #expect(throws: SSHSigError.self) { try SSHPublicKey(openSSH: line) }
    }
}
