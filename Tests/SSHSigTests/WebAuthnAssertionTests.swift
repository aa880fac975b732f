import Crypto
import Foundation
import Testing
@testable import SSHSig

/// Issue 17: a browser passkey's assertion over SSHSIG signed data, assembled into the
/// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com` signature that SSHSig and stock `ssh-keygen -Y verify` accept.
/// The assertions are made here as a browser and its authenticator make them, with a P-256 key made in the test.
@Suite("WebAuthn assertions into SSHSIG")
struct WebAuthnAssertionTests {
    static let message = Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 1 +0000\n\npasskey\n".utf8)
    static let origin = "http://localhost:8080"

    /// A passkey as a browser's authenticator holds it: a P-256 key for one RP id.
    struct Passkey {
        let secret = P256.Signing.PrivateKey()
        let relyingParty: String

        init(relyingParty: String = "localhost") { self.relyingParty = relyingParty }

        var key: SSHPublicKey {
            get throws { try SSHPublicKey.passkey(spki: secret.publicKey.derRepresentation, relyingParty: relyingParty) }
        }

        /// What `navigator.credentials.get` returns for `challenge`: authenticator data for `rpId` (default: the
        /// passkey's), the clientDataJSON (`clientData` replaces the browser's form) and the DER signature over
        /// `authenticatorData || SHA256(clientDataJSON)`.
        func assertion(challenge: Data, flags: UInt8 = 0x05, counter: UInt32 = 0, extensions: [UInt8] = [], rpId: String? = nil,
                       origin: String = WebAuthnAssertionTests.origin, clientData: ((String) -> String)? = nil) throws -> WebAuthnAssertion {
            let encoded = SoftwareAuthenticator.base64URL(challenge)
            let json = clientData?(encoded)
                ?? "{\"type\":\"webauthn.get\",\"challenge\":\"\(encoded)\",\"origin\":\"\(origin)\",\"crossOrigin\":false}"
            var authenticatorData = Data(SHA256.hash(data: Data((rpId ?? relyingParty).utf8)))
            authenticatorData.append(flags)
            authenticatorData.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: counter >> $0) })
            authenticatorData.append(contentsOf: extensions)
            let clientDataJSON = Data(json.utf8)
            let signature = try secret.signature(for: authenticatorData + Data(SHA256.hash(data: clientDataJSON)))
            return WebAuthnAssertion(authenticatorData: authenticatorData, clientDataJSON: clientDataJSON, signature: signature.derRepresentation)
        }

        /// The assertion over the SSHSIG signed data of `message`.
        func assertion(message: Data, namespace: String = "git", hashAlgorithm: String = "sha512", flags: UInt8 = 0x05,
                       counter: UInt32 = 0, extensions: [UInt8] = []) throws -> WebAuthnAssertion {
            try assertion(challenge: SSHSignature.signedData(for: message, namespace: namespace, hashAlgorithm: hashAlgorithm),
                          flags: flags, counter: counter, extensions: extensions)
        }
    }

    /// Stock `ssh-keygen -Y verify -n namespace -f allowed_signers -I x -s sig < message`: its exit status and what it printed.
    static func stockVerify(_ signature: SSHSignature, message: Data, namespace: String = "git") throws -> (good: Bool, output: String) {
        let scratch = try ScratchDirectory()
        let signers = try scratch.write("x \(signature.publicKey.openSSH)\n", to: "allowed_signers")
        let file = try scratch.write(signature.armored, to: "sig.file")
        let result = try ToolRunner(home: scratch.path).run("ssh-keygen", ["-Y", "verify", "-n", namespace, "-f", signers, "-I", "x", "-s", file],
                                                            input: message)
        return (result.status == 0, result.text + result.stderr)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let hashAlgorithm: String
        let flags: UInt8
        let counter: UInt32
        let extensions: [UInt8]
        var testDescription: String { "\(hashAlgorithm) flags 0x\(String(flags, radix: 16)) counter \(counter) extensions \(extensions.count)" }
    }

    static let cases = [
        Case(hashAlgorithm: "sha512", flags: 0x05, counter: 0, extensions: []),
        Case(hashAlgorithm: "sha512", flags: 0x01, counter: 0x0102_0304, extensions: []),
        Case(hashAlgorithm: "sha256", flags: 0x1D, counter: 0xFFFF_FFFF, extensions: []),
        // ED flag with a CBOR map {"credProtect": 1} as extension data.
        Case(hashAlgorithm: "sha512", flags: 0x85, counter: 9, extensions: [0xA1, 0x6B] + Array("credProtect".utf8) + [0x01]),
    ]

    @Test("an assertion assembles into a signature SSHSig verifies with its flags, counter and origin, and stock ssh-keygen says Good",
          arguments: cases)
    func assembles(_ c: Case) throws {
        let passkey = Passkey()
        let key = try passkey.key
        let assertion = try passkey.assertion(message: Self.message, hashAlgorithm: c.hashAlgorithm, flags: c.flags,
                                              counter: c.counter, extensions: c.extensions)
        let signature = try assertion.sshSignature(for: key, hashAlgorithm: c.hashAlgorithm)
        #expect(signature.publicKey == key && signature.namespace == "git" && signature.hashAlgorithm == c.hashAlgorithm)

        let details = try signature.verifyDetails(Self.message)
        #expect(details.algorithm == "webauthn-sk-ecdsa-sha2-nistp256@openssh.com")
        #expect(details.isHardwareBacked)
        #expect(details.flags == c.flags && details.counter == c.counter)
        #expect(details.webauthnOrigin == Self.origin)
        #expect(details.userVerified == (c.flags & 0x04 != 0))
        // The armored text reads back to the same signature.
        #expect(try SSHSignature(armored: signature.armored).verifyDetails(Self.message) == details)

        let stock = try Self.stockVerify(signature, message: Self.message)
        #expect(stock.good, "\(stock.output)")
        #expect(stock.output.contains("Good \"git\" signature for x"), "\(stock.output)")

        // A changed message fails in both.
        let changed = Self.message + Data("!".utf8)
        #expect(!signature.verify(changed))
        #expect(throws: SSHSigError.self) { try signature.verifyDetails(changed) }
        #expect(!(try Self.stockVerify(signature, message: changed).good))
    }

    @Test("the passkey key is an sk-ecdsa key with the RP id as application, listed by stock ssh-keygen")
    func passkeyKey() throws {
        let passkey = Passkey(relyingParty: "sigit.example")
        let key = try passkey.key
        #expect(key.algorithm == "sk-ecdsa-sha2-nistp256@openssh.com")
        #expect(key.application == "sigit.example")
        #expect(key.isHardwareBacked)
        #expect(try SSHPublicKey(openSSH: key.openSSH) == key)
        let scratch = try ScratchDirectory()
        let file = try scratch.write(key.openSSH + "\n", to: "key.pub")
        let listed = try ToolRunner(home: scratch.path).succeed("ssh-keygen", ["-lf", file]).text
        #expect(listed.contains(key.fingerprint) && listed.contains("ECDSA-SK"), "\(listed)")
    }

    @Test("a passkey that is not P-256, DER that is no key and a bad RP id are refused")
    func passkeyRefusals() throws {
        let p256 = P256.Signing.PrivateKey().publicKey.derRepresentation
        let p384 = P384.Signing.PrivateKey().publicKey.derRepresentation
        // Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING key }.
        let ed25519 = Data([0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00])
            + Curve25519.Signing.PrivateKey().publicKey.rawRepresentation
        for spki in [p384, ed25519, Data(), Data("not der".utf8), p256.dropLast(), p256 + Data([0])] {
            #expect(throws: SSHSigError.self) { try SSHPublicKey.passkey(spki: spki, relyingParty: "localhost") }
        }
        #expect(throws: SSHSigError.unsupportedKeyType("a passkey that is not ECDSA P-256 (COSE algorithm -7)")) {
            try SSHPublicKey.passkey(spki: p384, relyingParty: "localhost")
        }
        for rp in ["", "local\u{0}host"] {
            #expect(throws: SSHSigError.self) { try SSHPublicKey.passkey(spki: p256, relyingParty: rp) }
        }
        #expect(try SSHPublicKey.passkey(spki: p256, relyingParty: "localhost").application == "localhost")
    }

    /// The kind of refusal, for checking that each bad input gets the error meant for it.
    enum Kind { case malformed, invalid, other }

    static func kind(of body: () throws(SSHSigError) -> Void) -> Kind? {
        do {
            try body()
            return nil
        } catch .malformed {
            return .malformed
        } catch .invalidSignature {
            return .invalid
        } catch {
            return .other
        }
    }

    @Test("malformed or mismatched assertions are refused with a clear error, never a crash")
    func refusals() throws {
        let passkey = Passkey()
        let key = try passkey.key
        let good = try passkey.assertion(message: Self.message)
        #expect(try good.sshSignature(for: key).verify(Self.message))
        let signed = try SSHSignature.signedData(for: Self.message, namespace: "git", hashAlgorithm: "sha512")
        func assembled(_ assertion: WebAuthnAssertion, key other: SSHPublicKey? = nil) -> () throws(SSHSigError) -> Void {
            { () throws(SSHSigError) in _ = try assertion.sshSignature(for: other ?? key) }
        }
        func with(authenticatorData: Data? = nil, clientDataJSON: Data? = nil, signature: Data? = nil) -> WebAuthnAssertion {
            WebAuthnAssertion(authenticatorData: authenticatorData ?? good.authenticatorData,
                              clientDataJSON: clientDataJSON ?? good.clientDataJSON, signature: signature ?? good.signature)
        }

        // Short authenticator data: every length below the fixed 37 bytes.
        for length in 0..<37 {
            #expect(Self.kind(of: assembled(with(authenticatorData: good.authenticatorData.prefix(length)))) == .malformed)
        }
        // Trailing bytes without the extension flag; the extension flag without extensions; attested data (0x40).
        #expect(Self.kind(of: assembled(with(authenticatorData: good.authenticatorData + Data([0xA0])))) == .malformed)
        #expect(Self.kind(of: assembled(try passkey.assertion(message: Self.message, flags: 0x85))) == .malformed)
        #expect(Self.kind(of: assembled(try passkey.assertion(message: Self.message, flags: 0x45, extensions: [0xA0]))) == .invalid)
        #expect(Self.kind(of: assembled(try passkey.assertion(message: Self.message, flags: 0x45))) == .invalid)
        // Another RP id than the key's application.
        #expect(Self.kind(of: assembled(try passkey.assertion(challenge: signed, rpId: "example.org"))) == .invalid)
        let otherRP = try SSHPublicKey.passkey(spki: passkey.secret.publicKey.derRepresentation, relyingParty: "localhost.example")
        #expect(Self.kind(of: assembled(good, key: otherRP)) == .invalid)

        // Keys that are not sk-ecdsa: Ed25519, plain ECDSA, sk-ed25519.
        let ed25519 = SSHPrivateKey.generateEd25519(comment: "").publicKey
        var plain = SSHWireWriter()
        plain.writeString("ecdsa-sha2-nistp256")
        plain.writeString("nistp256")
        plain.writeString([UInt8](passkey.secret.publicKey.x963Representation))
        let ecdsa = try SSHPublicKey(blob: plain.data)
        let skEd25519 = try SSHPublicKey(blob: SoftwareAuthenticator(kind: .ed25519, application: "localhost").publicKeyBlob)
        for other in [ed25519, ecdsa, skEd25519] {
            #expect(Self.kind(of: assembled(good, key: other)) == .invalid, "\(other.algorithm)")
        }
        // Another passkey's key for the same RP id: the signature does not match.
        #expect(Self.kind(of: assembled(good, key: try Passkey().key)) == .invalid)

        // Malformed DER: empty, cut, extended, the raw r||s form, garbage.
        let raw = try P256.Signing.ECDSASignature(derRepresentation: good.signature).rawRepresentation
        for der in [Data(), good.signature.dropLast(), good.signature.prefix(2), good.signature + Data([0]), raw, Data(repeating: 0x30, count: 72)] {
            #expect(Self.kind(of: assembled(with(signature: der))) == .malformed)
        }
        // A well-formed DER signature of something else.
        let wrong = try passkey.secret.signature(for: Data("other".utf8)).derRepresentation
        #expect(Self.kind(of: assembled(with(signature: wrong))) == .invalid)

        // clientDataJSON not in the webauthn.get prefix form OpenSSH checks (each signed by the authenticator, so only the
        // form is wrong).
        let forms: [(String) -> String] = [
            { "{\"type\":\"webauthn.create\",\"challenge\":\"\($0)\",\"origin\":\"\(Self.origin)\"}" },
            { "{\"challenge\":\"\($0)\",\"type\":\"webauthn.get\",\"origin\":\"\(Self.origin)\"}" },
            { "{\"type\":\"webauthn.get\",\"origin\":\"\(Self.origin)\",\"challenge\":\"\($0)\"}" },
            { "{ \"type\":\"webauthn.get\",\"challenge\":\"\($0)\",\"origin\":\"\(Self.origin)\"}" },
            { "{\"type\":\"webauthn.get\",\"challenge\":\"\($0)==\",\"origin\":\"\(Self.origin)\"}" },
            { "{\"type\":\"webauthn.get\",\"challenge\":\"\($0)\"}" },
            { "{\"type\":\"webauthn.get\",\"challenge\":\"\($0)\",\"origin\":\"http:\\/\\/localhost:8080\"}" },
            { "[\"webauthn.get\",\"\($0)\"]" },
            { "{\"type\":\"webauthn.get\",\"challenge\":\"\($0)\",\"origin\":\"\(Self.origin)\"" },
            { _ in "" },
        ]
        for form in forms {
            let assertion = try passkey.assertion(challenge: signed, clientData: form)
            let kind = Self.kind(of: assembled(assertion))
            #expect(kind == .malformed || kind == .invalid, "\(String(decoding: assertion.clientDataJSON, as: UTF8.self))")
        }
        // A challenge that is not SSHSIG signed data, or is for another namespace or hash than asked for.
        #expect(Self.kind(of: assembled(try passkey.assertion(challenge: Data("hello".utf8)))) == .invalid)
        let file = try passkey.assertion(message: Self.message, namespace: "file")
        #expect(Self.kind(of: assembled(file)) == .invalid)
        #expect(try file.sshSignature(for: key, namespace: "file").verify(Self.message, namespace: "file"))
        let sha256 = try passkey.assertion(message: Self.message, hashAlgorithm: "sha256")
        #expect(Self.kind(of: assembled(sha256)) == .invalid)
        #expect(throws: SSHSigError.self) { try good.sshSignature(for: key, hashAlgorithm: "md5") }
        #expect(throws: SSHSigError.self) { try good.sshSignature(for: key, namespace: "") }
        // The signed-data helper refuses what SSHSIG does not define.
        #expect(throws: SSHSigError.self) { try SSHSignature.signedData(for: Self.message, namespace: "git", hashAlgorithm: "sha1") }
        #expect(throws: SSHSigError.self) { try SSHSignature.signedData(for: Self.message, namespace: "", hashAlgorithm: "sha512") }
    }

    @Test("the signed data is what ssh-keygen -Y sign signs: SSHSIG, namespace, reserved, hash algorithm, H(message)")
    func signedDataLayout() throws {
        let signed = try SSHSignature.signedData(for: Self.message, namespace: "git", hashAlgorithm: "sha512")
        #expect(signed == SoftwareAuthenticator.sshsigSignedData(Self.message, namespace: "git", hashAlgorithm: "sha512"))
        var reader = SSHWireReader(signed, context: "test")
        #expect(try reader.readBytes(6) == Array("SSHSIG".utf8))
        #expect(try reader.readText() == "git")
        #expect(try reader.readString().isEmpty)
        #expect(try reader.readText() == "sha512")
        #expect(try reader.readString() == Array(SHA512.hash(data: Self.message)))
        try reader.expectEnd()
    }

    /// A manual cross-check with a real browser: `Tests/browser/webauthn_smoke.py --out FILE` runs headless Chromium
    /// with a virtual authenticator and writes what it returned; this test assembles and verifies it.
    static let browserSmoke = ProcessInfo.processInfo.environment["SIGIT_BROWSER_SMOKE"]

    @Test("a real Chromium virtual-authenticator assertion assembles and stock ssh-keygen says Good",
          .enabled(if: browserSmoke != nil, "set SIGIT_BROWSER_SMOKE to the JSON file Tests/browser/webauthn_smoke.py --out writes"))
    func browserAssertion() throws {
        let path = try #require(Self.browserSmoke)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        func field(_ name: String) throws -> Data {
            let text = try #require(object[name] as? String, "\(name) missing")
            return try #require(Data(base64Encoded: text), "\(name) is not base64")
        }
        let message = try field("message")
        let signed = try SSHSignature.signedData(for: message, namespace: "git", hashAlgorithm: "sha512")
        #expect(try field("challenge") == signed)
        let key = try SSHPublicKey.passkey(spki: field("spki"), relyingParty: try #require(object["rpId"] as? String))
        let assertion = WebAuthnAssertion(authenticatorData: try field("authenticatorData"), clientDataJSON: try field("clientDataJSON"),
                                          signature: try field("signature"))
        let signature = try assertion.sshSignature(for: key)
        let details = try signature.verifyDetails(message)
        #expect(details.userPresent && details.userVerified == (object["userVerified"] as? Bool ?? true))
        let stock = try Self.stockVerify(signature, message: message)
        #expect(stock.good, "\(stock.output)")
        #expect(!(try Self.stockVerify(signature, message: message + Data("!".utf8)).good))
        if let out = ProcessInfo.processInfo.environment["SIGIT_BROWSER_SMOKE_SIGNATURE"] {
            try signature.armored.write(toFile: out, atomically: true, encoding: .utf8)
            try (key.openSSH + "\n").write(toFile: out + ".pub", atomically: true, encoding: .utf8)
        }
    }
}
