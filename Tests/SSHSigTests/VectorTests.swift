import Foundation
import Testing
@testable import SSHSig

/// OpenSSH's own SSHSIG vectors (`regress/unittests/sshsig/testdata/`, see `Vectors/README.md`), checked as its
/// `regress/unittests/sshsig/tests.c` checks them: each signature of `signed-data` in the namespace of `namespace`.
@Suite("OpenSSH's SSHSIG vectors")
struct VectorTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    /// One vector: its file stem, the signature type, and whether the key is a FIDO key.
    struct Vector: CustomTestStringConvertible, Sendable {
        let name: String
        let signatureType: String
        let hardware: Bool
        var testDescription: String { name }
    }

    static let vectors = [
        Vector(name: "ed25519", signatureType: "ssh-ed25519", hardware: false),
        Vector(name: "ecdsa", signatureType: "ecdsa-sha2-nistp256", hardware: false),
        Vector(name: "rsa", signatureType: "rsa-sha2-512", hardware: false),
        Vector(name: "ed25519_sk", signatureType: "sk-ssh-ed25519@openssh.com", hardware: true),
        Vector(name: "ecdsa_sk", signatureType: "sk-ecdsa-sha2-nistp256@openssh.com", hardware: true),
        Vector(name: "ecdsa_sk_webauthn", signatureType: "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", hardware: true),
    ]

    static func read(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    static var namespace: String { get throws { try text("namespace") } }

    @Test("each OpenSSH vector verifies with the namespace in `namespace`, and ssh-keygen -Y verify agrees on it and its details",
          arguments: vectors)
    func verifies(vector: Vector) throws {
        let message = try Self.read("signed-data")
        let namespace = try Self.namespace
        let key = try SSHPublicKey(openSSH: Self.text("\(vector.name).pub"))
        let armored = try Self.text("\(vector.name).sig")
        let signature = try SSHSignature(armored: armored)
        #expect(signature.publicKey == key)
        #expect(key.isHardwareBacked == vector.hardware)
        #expect((key.application != nil) == vector.hardware)

        let details = try signature.verifyDetails(message, namespace: namespace)
        #expect(details.algorithm == vector.signatureType)
        #expect(details.isHardwareBacked == vector.hardware)
        #expect(signature.verify(message, namespace: namespace))
        #expect(!signature.verify(message + Data("x".utf8), namespace: namespace))
        #expect(!signature.verify(message, namespace: "git"))

        let scratch = try ScratchDirectory()
        let stock = try OpenSSHTool(scratch).stockVerification(armored, message: message, publicKey: key.openSSH, namespace: namespace)
        #expect(stock.valid, "\(stock.stderr)")
        #expect(details.counter == stock.counter)
        #expect(details.flags == stock.flags)
        if vector.hardware {
            #expect(details.counter != nil && details.flags != nil)
        }
        if vector.name == "ecdsa_sk_webauthn" {
            #expect(details.webauthnOrigin?.isEmpty == false)
        } else {
            #expect(details.webauthnOrigin == nil)
        }
    }

    @Test("every one-bit flip of an OpenSSH vector's signature blob fails to verify and never crashes", arguments: vectors)
    func bitFlips(vector: Vector) throws {
        let message = try Self.read("signed-data")
        let namespace = try Self.namespace
        let blob = [UInt8](try SSHSignature(armored: Self.text("\(vector.name).sig")).blob)
        var accepted: [Int] = []
        for bit in 0..<(blob.count * 8) {
            var flipped = blob
            flipped[bit / 8] ^= 1 << (bit % 8)
            if let signature = try? SSHSignature(blob: Data(flipped)), signature.verify(message, namespace: namespace) {
                accepted.append(bit)
            }
        }
        #expect(accepted.isEmpty, "flipped bits that still verify: \(accepted)")
    }

    @Test("ssh-keygen -Y verify refuses a seeded sample of one-bit flips of each sk vector, as SSHSig does",
          arguments: vectors.filter(\.hardware))
    func bitFlipsAgreeWithStock(vector: Vector) throws {
        let message = try Self.read("signed-data")
        let namespace = try Self.namespace
        let key = try SSHPublicKey(openSSH: Self.text("\(vector.name).pub"))
        let blob = [UInt8](try SSHSignature(armored: Self.text("\(vector.name).sig")).blob)
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<6 {
            let bit = Int.random(in: 0..<(blob.count * 8), using: &generator)
            var flipped = blob
            flipped[bit / 8] ^= 1 << (bit % 8)
            let ours = (try? SSHSignature(blob: Data(flipped)))?.verify(message, namespace: namespace) ?? false
            let stock = try tool.stockVerification(SSHArmor.encode(Data(flipped), label: "SSH SIGNATURE"), message: message,
                                                   publicKey: key.openSSH, namespace: namespace)
            #expect(!ours && !stock.valid, "bit \(bit): SSHSig \(ours), ssh-keygen \(stock.valid)")
        }
    }

    /// The vector's SSHSIG with the ECDSA `r` of its inner signature re-encoded by `encode` (magnitude in, mpint bytes out).
    static func reencodingR(_ vector: String, _ encode: ([UInt8]) -> [UInt8]) throws -> SSHSignature {
        let signature = try SSHSignature(armored: text("\(vector).sig"))
        var reader = SSHWireReader(signature.signature, context: "test")
        let type = try reader.readText()
        let ecdsa = try reader.readString()
        let rest = try reader.readBytes(reader.remaining)
        var numbers = SSHWireReader(ecdsa, context: "test")
        let r = try numbers.readPositiveMPInt()
        let s = try numbers.readString()
        var rewritten = SSHWireWriter()
        rewritten.writeString(encode(r))
        rewritten.writeString(s)
        var inner = SSHWireWriter()
        inner.writeString(type)
        inner.writeString(rewritten.bytes)
        inner.writeRaw(rest)
        return SSHSignature(publicKey: signature.publicKey, namespace: signature.namespace, hashAlgorithm: signature.hashAlgorithm, signature: inner.data)
    }

    @Test("an ECDSA r with superfluous leading zeros verifies as in ssh-keygen (sshbuf_get_bignum2); a negative r is refused by both",
          arguments: ["ecdsa", "ecdsa_sk", "ecdsa_sk_webauthn"])
    func ecdsaIntegerEncoding(vector: String) throws {
        let message = try Self.read("signed-data")
        let namespace = try Self.namespace
        let key = try SSHPublicKey(openSSH: Self.text("\(vector).pub"))
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let cases: [(String, ([UInt8]) -> [UInt8], Bool)] = [
            ("one leading zero", { [0] + $0 }, true),
            ("three leading zeros", { [0, 0, 0] + $0 }, true),
            ("negative", { [0x80] + $0 }, false),
            ("empty (zero)", { _ in [] }, false),
        ]
        for (name, encode, valid) in cases {
            let signature = try Self.reencodingR(vector, encode)
            let stock = try tool.stockVerification(signature.armored, message: message, publicKey: key.openSSH, namespace: namespace)
            #expect(stock.valid == valid, "\(name): ssh-keygen \(stock.valid)")
            #expect(signature.verify(message, namespace: namespace) == valid, "\(name)")
        }
    }
}
