import Foundation
import Testing
@testable import SSHSig

/// FIDO signatures that must be refused, as OpenSSH refuses them (`ssh-ed25519-sk.c`, `ssh-ecdsa-sk.c`,
/// `webauthn_check_prepare_hash`): each is a clear `SSHSigError`, never a crash, and stock `ssh-keygen -Y verify`
/// refuses it too.
@Suite("FIDO signatures: bad input")
struct SecurityKeyMalformedTests {
    static let message = Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nbad sk\n".utf8)
    static let origin = "https://sigit.example"

    /// The signing forms whose wire encoding is cut and extended.
    enum Form: String, CaseIterable, Sendable {
        case ed25519SK, p256SK, webauthn
    }

    static func signed() -> Data { SoftwareAuthenticator.sshsigSignedData(message) }

    static func authenticator(_ form: Form, application: String = "ssh:") throws -> SoftwareAuthenticator {
        try SoftwareAuthenticator(kind: form == .ed25519SK ? .ed25519 : .p256, application: application, seed: Data(repeating: 5, count: 32))
    }

    @Test("every truncation of an sk signature blob is refused as malformed, and so is any trailing byte", arguments: Form.allCases)
    func truncatedAndExtended(form: Form) throws {
        let authenticator = try Self.authenticator(form)
        let key = try SSHPublicKey(blob: authenticator.publicKeyBlob)
        let inner = try authenticator.signatureBlob(signedData: Self.signed(), flags: 0x01, counter: 3,
                                                    webauthn: form == .webauthn ? .init(origin: Self.origin) : nil)
        #expect(try key.verifySignature(inner, for: Self.signed()).counter == 3)
        for length in 0..<inner.count {
            #expect(throws: SSHSigError.self) { try key.verifySignature(inner.prefix(length), for: Self.signed()) }
        }
        for extra in [Data([0]), Data([0, 0, 0, 0]), Data([0, 0, 0, 1, 0x41])] {
            #expect(throws: SSHSigError.self) { try key.verifySignature(inner + extra, for: Self.signed()) }
            #expect(!key.isValidSignature(inner + extra, for: Self.signed()))
        }
        let extended = SoftwareAuthenticator.sshsig(publicKeyBlob: authenticator.publicKeyBlob, namespace: "git",
                                                    hashAlgorithm: "sha512", signature: inner + Data([0]))
        #expect(throws: SSHSigError.self) { try SSHSignature(blob: extended).verifyDetails(Self.message) }
        let scratch = try ScratchDirectory()
        let stock = try OpenSSHTool(scratch).stockVerification(SoftwareAuthenticator.armor(extended), message: Self.message,
                                                               publicKey: authenticator.publicKeyLine)
        #expect(!stock.valid)
    }

    /// A signature built to break one rule, and a word the refusal names.
    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let reason: String
        let make: @Sendable () throws -> (armored: String, keyLine: String)
        var testDescription: String { name }
    }

    static func webauthnBad(_ name: String, reason: String, flags: UInt8 = 0x01, origin: String = origin, extensions: [UInt8] = [],
                            clientData: (@Sendable (String) -> String)? = nil) -> Bad {
        Bad(name: name, reason: reason) {
            let authenticator = try Self.authenticator(.webauthn)
            let webauthn = SoftwareAuthenticator.WebAuthn(origin: origin, extensions: extensions, clientData: clientData)
            return (try authenticator.armored(message, flags: flags, counter: 1, webauthn: webauthn), authenticator.publicKeyLine)
        }
    }

    static let bad: [Bad] = [
        Bad(name: "a signature made for another application than the key's", reason: "application") {
            let key = try Self.authenticator(.ed25519SK)
            let other = try Self.authenticator(.ed25519SK, application: "ssh:other")
            let inner = try other.signatureBlob(signedData: signed(), flags: 0x01, counter: 1)
            let blob = SoftwareAuthenticator.sshsig(publicKeyBlob: key.publicKeyBlob, namespace: "git", hashAlgorithm: "sha512", signature: inner)
            return (SoftwareAuthenticator.armor(blob), key.publicKeyLine)
        },
        Bad(name: "an ecdsa-sk signature made for another application than the key's", reason: "application") {
            let key = try Self.authenticator(.p256SK)
            let other = try Self.authenticator(.p256SK, application: "ssh:other")
            let inner = try other.signatureBlob(signedData: signed(), flags: 0x01, counter: 1)
            let blob = SoftwareAuthenticator.sshsig(publicKeyBlob: key.publicKeyBlob, namespace: "git", hashAlgorithm: "sha512", signature: inner)
            return (SoftwareAuthenticator.armor(blob), key.publicKeyLine)
        },
        webauthnBad("an origin containing a double quote", reason: "double quote", origin: "https://sigit.example\",\"x\":\""),
        webauthnBad("an origin containing a NUL byte", reason: "NUL", origin: "https://sigit\u{0}.example"),
        webauthnBad("clientDataJSON with the challenge of other data", reason: "clientDataJSON") { _ in
            "{\"type\":\"webauthn.get\",\"challenge\":\"\(SoftwareAuthenticator.base64URL(Data("other".utf8)))\",\"origin\":\"\(origin)\"}"
        },
        webauthnBad("clientDataJSON with a padded challenge", reason: "clientDataJSON") { challenge in
            "{\"type\":\"webauthn.get\",\"challenge\":\"\(challenge)==\",\"origin\":\"\(origin)\"}"
        },
        webauthnBad("clientDataJSON of type webauthn.create", reason: "clientDataJSON") { challenge in
            "{\"type\":\"webauthn.create\",\"challenge\":\"\(challenge)\",\"origin\":\"\(origin)\"}"
        },
        webauthnBad("clientDataJSON without the expected prefix (fields reordered)", reason: "clientDataJSON") { challenge in
            "{\"challenge\":\"\(challenge)\",\"type\":\"webauthn.get\",\"origin\":\"\(origin)\"}"
        },
        webauthnBad("clientDataJSON naming another origin than the signature", reason: "clientDataJSON") { challenge in
            "{\"type\":\"webauthn.get\",\"challenge\":\"\(challenge)\",\"origin\":\"https://evil.example\"}"
        },
        webauthnBad("clientDataJSON cut before the origin's closing quote", reason: "clientDataJSON") { challenge in
            "{\"type\":\"webauthn.get\",\"challenge\":\"\(challenge)\",\"origin\":\"\(origin)"
        },
        webauthnBad("the extension flag (0x80) set without extensions", reason: "extension flag", flags: 0x81),
        webauthnBad("extensions without the extension flag", reason: "extension flag", flags: 0x01, extensions: [0xA0]),
        webauthnBad("the attested-data flag (0x40) set", reason: "attested-data", flags: 0x41),
    ]

    @Test("a bad FIDO signature is a clear refusal in SSHSig and ssh-keygen -Y verify refuses it too", arguments: bad)
    func refused(_ bad: Bad) throws {
        let (armored, keyLine) = try bad.make()
        let signature = try SSHSignature(armored: armored)
        #expect(!signature.verify(Self.message))
        #expect {
            try signature.verifyDetails(Self.message)
        } throws: { error in
            guard let error = error as? SSHSigError else { return false }
            return "\(error)".contains(bad.reason)
        }
        let scratch = try ScratchDirectory()
        let stock = try OpenSSHTool(scratch).stockVerification(armored, message: Self.message, publicKey: keyLine)
        #expect(!stock.valid)
    }

    @Test("an sk signature type on the wrong kind of key is refused")
    func typeMismatch() throws {
        let ed = try Self.authenticator(.ed25519SK)
        let p256 = try Self.authenticator(.p256SK)
        let edKey = try SSHPublicKey(blob: ed.publicKeyBlob)
        let p256Key = try SSHPublicKey(blob: p256.publicKeyBlob)
        let edSig = try ed.signatureBlob(signedData: Self.signed(), flags: 1, counter: 1)
        let p256Sig = try p256.signatureBlob(signedData: Self.signed(), flags: 1, counter: 1)
        #expect(throws: SSHSigError.self) { try p256Key.verifySignature(edSig, for: Self.signed()) }
        #expect(throws: SSHSigError.self) { try edKey.verifySignature(p256Sig, for: Self.signed()) }
        // A software key never accepts an sk signature, nor an sk key a plain one.
        let plain = SSHPrivateKey.generateEd25519(comment: "")
        #expect(throws: SSHSigError.invalidSignature("a sk-ssh-ed25519@openssh.com signature does not fit a ssh-ed25519 key")) {
            try plain.publicKey.verifySignature(edSig, for: Self.signed())
        }
        #expect(throws: SSHSigError.self) { try edKey.verifySignature(try plain.sign(Self.signed()), for: Self.signed()) }
    }

    @Test("an sk key blob with a NUL in its application, a bad point or trailing bytes is refused")
    func badKeys() throws {
        var blob = [UInt8](try Self.authenticator(.ed25519SK, application: "ssh:\u{0}x").publicKeyBlob)
        #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: Data(blob)) }
        blob = [UInt8](try Self.authenticator(.p256SK).publicKeyBlob)
        #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: Data(blob) + Data([0])) }
        for length in 0..<blob.count {
            #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: Data(blob.prefix(length))) }
        }
        blob[4 + 34 + 4 + 8 + 4 + 10] ^= 0x01  // a coordinate of the point: off the curve
        #expect(throws: SSHSigError.self) { try SSHPublicKey(blob: Data(blob)) }
    }
}
