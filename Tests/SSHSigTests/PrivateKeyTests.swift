import Foundation
import Testing
@testable import SSHSig

@Suite("Private keys")
struct PrivateKeyTests {
    @Test("an unencrypted ed25519 key from ssh-keygen parses and matches its .pub")
    func parsesKeygenKey() throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", comment: "bob@desk")
        let key = try SSHPrivateKey(openSSH: scratch.read("key"))
        let pub = try SSHPublicKey(openSSH: scratch.read("key.pub"))
        #expect(key.publicKey == pub)
        #expect(key.comment == "bob@desk")
        #expect(key.publicKey.comment == "bob@desk")
        let signature = try key.sign(Data("hello".utf8))
        #expect(pub.isValidSignature(signature, for: Data("hello".utf8)))
        #expect(!pub.isValidSignature(signature, for: Data("hellO".utf8)))
    }

    @Test("an encrypted key asks for ssh-agent")
    func encryptedKey() throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", passphrase: "secret")
        #expect(throws: SSHSigError.encryptedPrivateKey) { try SSHPrivateKey(openSSH: scratch.read("key")) }
        #expect(SSHSigError.encryptedPrivateKey.description
            == "the private key is encrypted; add it to ssh-agent (ssh-add KEY) and sign through the agent")
    }

    @Test("a private key that is not ed25519 is unsupported", arguments: [("ecdsa", 256), ("rsa", 2048)])
    func otherTypes(type: String, bits: Int) throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", type: type, bits: bits)
        #expect {
            try SSHPrivateKey(openSSH: scratch.read("key"))
        } throws: { error in
            if case SSHSigError.unsupportedKeyType = error { return true }
            return false
        }
    }

    @Test("openSSHPEM is accepted by ssh-keygen -y and parses back to the same key")
    func pemRoundTrip() throws {
        let scratch = try ScratchDirectory()
        let key = SSHPrivateKey(ed25519Seed: Data(repeating: 7, count: 32), comment: "gen@sigit")
        let path = try scratch.write(key.openSSHPEM, to: "key")
        let derived = try OpenSSHTool(scratch).succeed("ssh-keygen", ["-y", "-f", path]).text
        #expect(try SSHPublicKey(openSSH: derived) == key.publicKey)
        #expect(derived.hasPrefix(key.publicKey.openSSH))
        let parsed = try SSHPrivateKey(openSSH: key.openSSHPEM)
        #expect(parsed.publicKey == key.publicKey)
        #expect(parsed.comment == "gen@sigit")
        #expect(key.openSSHPEM.split(separator: "\n").allSatisfy { $0.count <= 70 || $0.hasPrefix("-----") })
    }

    @Test("a seed determines the key, and generated keys differ")
    func seedsAndGeneration() {
        let seed = Data((0..<32).map { UInt8($0) })
        #expect(SSHPrivateKey(ed25519Seed: seed).publicKey == SSHPrivateKey(ed25519Seed: seed).publicKey)
        #expect(SSHPrivateKey.generateEd25519(comment: "a").publicKey != SSHPrivateKey.generateEd25519(comment: "a").publicKey)
    }

    @Test("differing check-ints are rejected")
    func checkIntsMustMatch() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        var blob = try [UInt8](SSHArmor.decode(key.openSSHPEM, label: "OPENSSH PRIVATE KEY"))
        // magic(15) + "none"(8) + "none"(8) + ""(4) + count(4) + pub(4+51) + section length(4)
        let firstCheck = 15 + 8 + 8 + 4 + 4 + 4 + 51 + 4
        blob[firstCheck] ^= 0xFF
        let pem = SSHArmor.encode(Data(blob), label: "OPENSSH PRIVATE KEY")
        #expect(throws: SSHSigError.self) { try SSHPrivateKey(openSSH: pem) }
    }

    @Test("a private half that does not match the public key is rejected")
    func privateMustMatchPublic() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        var blob = try [UInt8](SSHArmor.decode(key.openSSHPEM, label: "OPENSSH PRIVATE KEY"))
        // The secret seed starts after the check-ints, the type string and the 32-byte public key.
        let seedStart = 15 + 8 + 8 + 4 + 4 + 4 + 51 + 4 + 8 + 15 + 36 + 4
        blob[seedStart] ^= 0x01
        let pem = SSHArmor.encode(Data(blob), label: "OPENSSH PRIVATE KEY")
        #expect(throws: SSHSigError.malformed("the private key does not match its public key")) {
            try SSHPrivateKey(openSSH: pem)
        }
    }

    @Test("printing a private key shows only its public fingerprint")
    func descriptionHidesSecret() {
        let key = SSHPrivateKey(ed25519Seed: Data(repeating: 0xAB, count: 32))
        let seedBase64 = Data(repeating: 0xAB, count: 32).base64EncodedString()
        for text in [String(describing: key), String(reflecting: key), { var s = ""; dump(key, to: &s); return s }()] {
            #expect(text.contains(key.publicKey.fingerprint) || text.contains("publicKey"))
            #expect(!text.contains(seedBase64) && !text.lowercased().contains("abababab"))
        }
    }
}
