import Foundation
import Testing
@testable import SSHSig

@Suite("Malformed input never crashes")
struct MalformedInputTests {
    static let message = Data("payload\n".utf8)

    static func validSignature() throws -> SSHSignature {
        try SSHSignature.sign(message, with: SSHPrivateKey(ed25519Seed: Data(repeating: 9, count: 32)))
    }

    @Test("every truncation of a signature blob is rejected")
    func truncatedSignature() throws {
        let blob = try Self.validSignature().blob
        for length in 0..<blob.count {
            #expect(throws: SSHSigError.self) { try SSHSignature(blob: blob.prefix(length)) }
        }
    }

    @Test("every truncation of a public key blob is rejected")
    func truncatedKey() throws {
        let blob = try Self.validSignature().publicKey.blob
        for length in 0..<blob.count {
            #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: blob.prefix(length)) }
        }
    }

    @Test("trailing bytes after a signature or key are rejected")
    func trailingBytes() throws {
        let signature = try Self.validSignature()
        #expect(throws: SSHSigError.self) { try SSHSignature(blob: signature.blob + Data([0])) }
        #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: signature.publicKey.blob + Data([0])) }
        let signed = try #require(SSHSignature.signedData(Self.message, namespace: "git", hashAlgorithm: "sha512"))
        #expect(signature.publicKey.isValidSignature(signature.signature, for: signed))
        #expect(!signature.publicKey.isValidSignature(signature.signature + Data([0]), for: signed))
    }

    @Test("bad magic and unknown versions are rejected")
    func badMagic() throws {
        var blob = [UInt8](try Self.validSignature().blob)
        blob[0] = UInt8(ascii: "X")
        #expect(throws: SSHSigError.self) { try SSHSignature(blob: Data(blob)) }
        blob[0] = UInt8(ascii: "S")
        blob[9] = 2
        #expect(throws: SSHSigError.self) { try SSHSignature(blob: Data(blob)) }
    }

    @Test("huge length fields are rejected", arguments: [0x7FFF_FFFF, 0xFFFF_FFFF, 0x0100_0000] as [UInt32])
    func hugeLengths(length: UInt32) throws {
        var writer = SSHWireWriter()
        writer.writeRaw(Array("SSHSIG".utf8))
        writer.writeUInt32(1)
        writer.writeUInt32(length)
        writer.writeRaw([1, 2, 3])
        #expect(throws: SSHSigError.self) { try SSHSignature(blob: writer.data) }

        var key = SSHWireWriter()
        key.writeUInt32(length)
        key.writeRaw(Array("ssh-ed25519".utf8))
        #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: key.data) }
        #expect(!(try Self.validSignature().publicKey.isValidSignature(key.data, for: Self.message)))
    }

    @Test("random mutations of a valid signature blob throw or fail to verify")
    func mutatedSignatures() throws {
        let original = try Self.validSignature()
        #expect(original.verify(Self.message))
        var random = SeededGenerator(seed: 0x5155_4953_4947)
        for _ in 0..<3000 {
            let mutated = Self.mutate([UInt8](original.blob), using: &random)
            guard let parsed = try? SSHSignature(blob: Data(mutated)) else { continue }
            if mutated != [UInt8](original.blob) {
                #expect(!parsed.verify(Self.message), "mutation verified: \(Data(mutated).base64EncodedString())")
            }
            _ = parsed.armored
        }
    }

    @Test("random mutations of valid public key blobs throw or parse into harmless keys", arguments: ["ed25519", "ecdsa", "rsa"])
    func mutatedKeys(type: String) throws {
        let original = try Self.sampleKey(type)
        let signature = try Self.validSignature()
        let signed = try #require(SSHSignature.signedData(Self.message, namespace: "git", hashAlgorithm: "sha512"))
        var random = SeededGenerator(seed: 0x4B45_5953 &+ UInt64(type.utf8.count))
        for _ in 0..<1500 {
            let mutated = Self.mutate([UInt8](original.blob), using: &random)
            guard let key = try? SSHPublicKey(blob: Data(mutated)) else { continue }
            _ = key.fingerprint
            _ = try? SSHPublicKey(openSSH: key.openSSH)
            if mutated != [UInt8](original.blob) {
                #expect(!key.isValidSignature(signature.signature, for: signed))
            }
        }
    }

    @Test("random bytes never parse as a signature, key or private key")
    func randomBytes() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<1000 {
            let bytes = Data((0..<Int.random(in: 0..<200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
            #expect(throws: SSHSigError.self) { try SSHSignature(blob: bytes) }
            _ = try? SSHPublicKey(blob: bytes)
            let armored = "-----BEGIN OPENSSH PRIVATE KEY-----\n\(bytes.base64EncodedString())\n-----END OPENSSH PRIVATE KEY-----\n"
            #expect(throws: SSHSigError.self) { try SSHPrivateKey(openSSH: armored) }
        }
    }

    @Test("random mutations of a private key file throw or still match their public key")
    func mutatedPrivateKeys() throws {
        let key = SSHPrivateKey(ed25519Seed: Data(repeating: 3, count: 32), comment: "m")
        let blob = try [UInt8](SSHArmor.decode(key.openSSHPEM, label: "OPENSSH PRIVATE KEY"))
        var random = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let mutated = Self.mutate(blob, using: &random)
            let pem = SSHArmor.encode(Data(mutated), label: "OPENSSH PRIVATE KEY")
            guard let parsed = try? SSHPrivateKey(openSSH: pem) else { continue }
            // Only the comment or padding-free fields may change without being caught.
            #expect(parsed.publicKey == key.publicKey)
        }
    }

    @Test("a public key line whose comment holds a control character is refused", arguments: ["\n", "\u{0}", "\r", "\u{1b}[2J", "\u{7f}"])
    func commentControlCharacters(control: String) throws {
        let line = SSHPrivateKey(ed25519Seed: Data(repeating: 5, count: 32)).publicKey.openSSH
        #expect(try SSHPublicKey(openSSH: line + " alice\tlaptop").comment == "alice\tlaptop")
        #expect(throws: SSHSigError.malformed("the public key comment contains a control character")) {
            try SSHPublicKey(openSSH: line + " alice" + control + "ssh-ed25519 AAAA")
        }
    }

    @Test("10 MB of armor, base64 or key line is refused, not trusted", .timeLimit(.minutes(1)))
    func hugeInputs() throws {
        let body = Data(repeating: 0x41, count: 7_500_000).base64EncodedString()
        #expect(throws: SSHSigError.self) { try SSHSignature(armored: "-----BEGIN SSH SIGNATURE-----\n\(body)\n-----END SSH SIGNATURE-----\n") }
        #expect(throws: SSHSigError.self) { try SSHPrivateKey(openSSH: "-----BEGIN OPENSSH PRIVATE KEY-----\n\(body)\n-----END OPENSSH PRIVATE KEY-----\n") }
        #expect(throws: SSHSigError.self) { try SSHPublicKey(openSSH: "ssh-ed25519 \(body) comment") }
        let key = try Self.validSignature().publicKey
        #expect(!key.isValidSignature(Data(repeating: 0, count: 10_000_000), for: Self.message))
    }

    @Test("every input of fuzz/corpus/FuzzSSHSig parses or throws an SSHSigError, and verifies nothing it should not")
    func fuzzCorpus() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/corpus/FuzzSSHSig")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 20)
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let text = String(decoding: data, as: UTF8.self)
            if let signature = try? SSHSignature(blob: data) { #expect(!signature.verify(Self.message), "\(name)") }
            if let signature = try? SSHSignature(armored: text) { #expect(!signature.verify(Self.message), "\(name)") }
            _ = try? SSHPublicKey(blob: data)
            _ = try? SSHPublicKey(openSSH: text)
            _ = try? SSHPrivateKey(openSSH: text)
        }
    }

    /// A key of each supported type: derived from a fixed seed, or a fixed line written by ssh-keygen.
    static func sampleKey(_ type: String) throws -> SSHPublicKey {
        switch type {
        case "ecdsa":
            return try SSHPublicKey(openSSH: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBI2qRanYO3jY1CcYmGQDT/Jo1g5bI+79kyjXhwFKzO684rzmKZya9HtpmDQir43pvjuFfdBlKSbI6gAbC8rYXwM=")
        case "rsa":
            return try SSHPublicKey(openSSH: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDZfkXW9iSz/nlUoTQ35mX/JPWsx+hTrqc7kLWI5HCvgLdunsIsm3hducXdWm740OtkkA4ER5G0o/lMZkoO89IFZ83vBoG5ui4aGDiPxcBcCzV3QeAOqE6o/zxOZNnhxPJLPgkuyvveI5AN5ik2Lm9F3erPcbYTWkQBVKG5P5jDhsWpK8dqgoOX7w8HYsI6vOaA6vcdmrzsHEKJwjC7DCw9UfTtaiSONCVw01QvXb/8h0qTe7j4l/XSU0t/nT5s4+p4a96joZONYxmuzB5JbfmvZx60r2sFafcmRt86lnstbcv4gRKOFHky/NBIA/OewcJbXn1YrzxFrJh4SqrRBxex")
        default:
            return SSHPrivateKey(ed25519Seed: Data(repeating: 5, count: 32)).publicKey
        }
    }

    /// One random edit: flip a byte, truncate, insert, delete, append, or overwrite a length field.
    static func mutate(_ input: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return [UInt8.random(in: 0...255, using: &random)] }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            bytes[position] ^= UInt8.random(in: 1...255, using: &random)
        case 1:
            bytes.removeSubrange(position...)
        case 2:
            bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        case 3:
            bytes.remove(at: position)
        case 4:
            bytes += (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        default:
            let start = min(position, max(0, bytes.count - 4))
            let value: UInt32 = [0xFFFF_FFFF, 0x7FFF_FFFF, 0, 1, UInt32(bytes.count), UInt32.random(in: 0...UInt32.max, using: &random)]
                .randomElement(using: &random) ?? 0
            for offset in 0..<min(4, bytes.count - start) {
                bytes[start + offset] = UInt8(truncatingIfNeeded: value >> (24 - 8 * offset))
            }
        }
        return bytes
    }
}
