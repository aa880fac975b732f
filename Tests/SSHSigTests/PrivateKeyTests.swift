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

    @Test("an ECDSA key on another curve than P-256 is unsupported, and the error names the supported types", arguments: [384, 521])
    func otherCurves(bits: Int) throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", type: "ecdsa", bits: bits)
        #expect(throws: SSHSigError.unsupportedKeyType("ecdsa-sha2-nistp\(bits)")) { try SSHPrivateKey(openSSH: scratch.read("key")) }
        let text = SSHSigError.unsupportedKeyType("ecdsa-sha2-nistp\(bits)").description
        #expect(text.contains("ssh-ed25519, ecdsa-sha2-nistp256 and ssh-rsa"))
        #expect(!text.contains("use an ssh-ed25519 key"))
    }

    @Test("ECDSA P-256 and RSA key files from ssh-keygen parse, match their .pub and round-trip through openSSHPEM",
          arguments: [("ecdsa", 256), ("rsa", 2048), ("rsa", 3072)])
    func otherTypes(type: String, bits: Int) throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        try tool.keygen("key", type: type, bits: bits, comment: "bob@desk")
        let key = try SSHPrivateKey(openSSH: scratch.read("key"))
        let pub = try SSHPublicKey(openSSH: scratch.read("key.pub"))
        #expect(key.publicKey == pub)
        #expect(key.comment == "bob@desk")
        let path = try scratch.write(key.openSSHPEM, to: "again")
        let derived = try tool.succeed("ssh-keygen", ["-y", "-f", path]).text
        #expect(try SSHPublicKey(openSSH: derived) == pub)
        #expect(try SSHPrivateKey(openSSH: key.openSSHPEM).publicKey == pub)
    }

    @Test("the header of an encrypted key file gives its public key without the passphrase")
    func encryptedHeader() throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("key", type: "ecdsa", bits: 256, passphrase: "secret")
        let file = try SSHPrivateKeyFile(openSSH: scratch.read("key"))
        #expect(file.isEncrypted)
        #expect(!file.isSecurityKey)
        #expect(file.keyType == "ecdsa-sha2-nistp256")
        #expect(try file.publicKey() == SSHPublicKey(openSSH: scratch.read("key.pub")))
    }

    @Test("a FIDO key file (sk-ssh-ed25519) is read as a security key whose public key carries its application")
    func securityKeyHeader() throws {
        var publicBlob = SSHWireWriter()
        publicBlob.writeString("sk-ssh-ed25519@openssh.com")
        publicBlob.writeString([UInt8](repeating: 7, count: 32))
        publicBlob.writeString("ssh:")
        var file = SSHWireWriter()
        file.writeRaw(Array("openssh-key-v1".utf8) + [0])
        file.writeString("none")
        file.writeString("none")
        file.writeString([UInt8]())
        file.writeUInt32(1)
        file.writeString(publicBlob.bytes)
        file.writeString([UInt8](repeating: 0, count: 8))
        let header = try SSHPrivateKeyFile(openSSH: SSHArmor.encode(file.data, label: "OPENSSH PRIVATE KEY"))
        #expect(header.isSecurityKey && !header.isEncrypted)
        #expect(header.keyType == "sk-ssh-ed25519@openssh.com")
        let publicKey = try header.publicKey()
        #expect(publicKey.algorithm == "sk-ssh-ed25519@openssh.com")
        #expect(publicKey.isHardwareBacked && publicKey.application == "ssh:")
    }

    @Test("a P-256 private scalar that does not match the public point is rejected")
    func p256MustMatch() throws {
        let scratch = try ScratchDirectory()
        try OpenSSHTool(scratch).keygen("a", type: "ecdsa", bits: 256)
        try OpenSSHTool(scratch).keygen("b", type: "ecdsa", bits: 256)
        // b's public key in a's file: swap the outer public blob.
        let a = try SSHPrivateKeyFile(openSSH: scratch.read("a"))
        let b = try SSHPrivateKeyFile(openSSH: scratch.read("b"))
        var blob = try [UInt8](SSHArmor.decode(scratch.read("a"), label: "OPENSSH PRIVATE KEY"))
        let range = try #require(blob.firstRange(of: [UInt8](a.publicKeyBlob)))
        blob.replaceSubrange(range, with: [UInt8](b.publicKeyBlob))
        #expect(throws: SSHSigError.self) { try SSHPrivateKey(openSSH: SSHArmor.encode(Data(blob), label: "OPENSSH PRIVATE KEY")) }
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
