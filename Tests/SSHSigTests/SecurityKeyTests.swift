import Foundation
import Testing
@testable import SSHSig

/// Spec section 7: FIDO keys and signatures (`PROTOCOL.u2f`), made by `SoftwareAuthenticator` exactly as an
/// authenticator and `ssh-keygen -Y sign` would, and checked against stock `ssh-keygen -Y verify` and `git verify-commit`.
@Suite("FIDO keys and signatures")
struct SecurityKeyTests {
    static let message = Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 1 +0000\n\nsk\n".utf8)

    /// One way of signing: the key kind, WebAuthn or not, the flags and the counter.
    struct Case: CustomTestStringConvertible, Sendable {
        let kind: SoftwareAuthenticator.Kind
        let webauthn: Bool
        let flags: UInt8
        let counter: UInt32
        var testDescription: String {
            "\(webauthn ? "webauthn-" : "")\(kind.rawValue) flags 0x\(String(flags, radix: 16)) counter \(counter)"
        }
    }

    static let cases: [Case] = SoftwareAuthenticator.Kind.allCases.flatMap { kind in
        [(0x01, 1), (0x00, 7), (0x05, 0xFFFF_FFFF), (0x04, 0), (0x01, 0x1234_5678)].map { flags, counter in
            Case(kind: kind, webauthn: false, flags: UInt8(flags), counter: UInt32(counter))
        }
    } + [(0x01, 3), (0x05, 2), (0x00, 0)].map { flags, counter in
        Case(kind: .p256, webauthn: true, flags: UInt8(flags), counter: UInt32(counter))
    }

    @Test("an sk key line parses with its application, prints back, and fingerprints like ssh-keygen -l",
          arguments: SoftwareAuthenticator.Kind.allCases)
    func keyLines(kind: SoftwareAuthenticator.Kind) throws {
        let authenticator = try SoftwareAuthenticator(kind: kind, application: "ssh:sigit")
        let line = authenticator.publicKeyLine + " alice@token"
        let key = try SSHPublicKey(openSSH: line)
        #expect(key.algorithm == kind.rawValue)
        #expect(key.application == "ssh:sigit")
        #expect(key.isHardwareBacked)
        #expect(key.openSSH == authenticator.publicKeyLine)
        #expect(try SSHPublicKey(blob: key.blob) == key)
        #expect(!SSHPrivateKey.generateEd25519(comment: "").publicKey.isHardwareBacked)

        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let file = try scratch.write(line + "\n", to: "key.pub")
        let listed = try tool.succeed("ssh-keygen", ["-lf", file]).text.split(separator: " ")
        #expect(listed.count > 1 && String(listed[1]) == key.fingerprint)
        // The allowed_signers line format is the same for sk keys.
        #expect(try tool.verifies(authenticator.armored(Self.message), message: Self.message, publicKey: key.openSSH))
    }

    @Test("sk and webauthn-sk signatures verify in SSHSig and in ssh-keygen -Y verify, with the same flags and counter",
          arguments: cases)
    func signatures(_ c: Case) throws {
        let authenticator = try SoftwareAuthenticator(kind: c.kind)
        let webauthn = c.webauthn ? SoftwareAuthenticator.WebAuthn(origin: "https://sigit.example") : nil
        let armored = try authenticator.armored(Self.message, flags: c.flags, counter: c.counter, webauthn: webauthn)
        let signature = try SSHSignature(armored: armored)
        #expect(signature.armored == armored)
        let details = try signature.verifyDetails(Self.message)
        #expect(details.algorithm == (c.webauthn ? "webauthn-sk-ecdsa-sha2-nistp256@openssh.com" : c.kind.rawValue))
        #expect(details.isHardwareBacked)
        #expect(details.flags == c.flags && details.counter == c.counter)
        #expect(details.userPresent == (c.flags & 0x01 != 0) && details.userVerified == (c.flags & 0x04 != 0))
        #expect(details.webauthnOrigin == webauthn?.origin)
        #expect(!signature.verify(Self.message + Data("!".utf8)))

        let scratch = try ScratchDirectory()
        let stock = try OpenSSHTool(scratch).stockVerification(armored, message: Self.message, publicKey: authenticator.publicKeyLine)
        #expect(stock.valid, "\(stock.stderr)")
        #expect(stock.flags == c.flags && stock.counter == c.counter)
        let tampered = try OpenSSHTool(scratch).stockVerification(armored, message: Self.message + Data("!".utf8),
                                                                  publicKey: authenticator.publicKeyLine)
        #expect(!tampered.valid)
    }

    @Test("one authenticator's counters rising, falling and zero each verify with their own counter (regressions are a policy matter)",
          arguments: SoftwareAuthenticator.Kind.allCases)
    func counterSequence(kind: SoftwareAuthenticator.Kind) throws {
        let authenticator = try SoftwareAuthenticator(kind: kind)
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        for (step, counter) in ([5, 6, 2, 0, 0, 9] as [UInt32]).enumerated() {
            let message = Self.message + Data("event \(step)\n".utf8)
            let armored = try authenticator.armored(message, flags: 0x01, counter: counter)
            #expect(try SSHSignature(armored: armored).verifyDetails(message).counter == counter)
            let stock = try tool.stockVerification(armored, message: message, publicKey: authenticator.publicKeyLine)
            #expect(stock.valid && stock.counter == counter, "\(stock.stderr)")
        }
    }

    @Test("a webauthn signature with extensions and the extension flag verifies in SSHSig and ssh-keygen")
    func webauthnExtensions() throws {
        let authenticator = try SoftwareAuthenticator(kind: .p256)
        let webauthn = SoftwareAuthenticator.WebAuthn(origin: "https://sigit.example", extensions: [0xA1, 0x01, 0x02])
        let armored = try authenticator.armored(Self.message, flags: 0x81, counter: 9, webauthn: webauthn)
        let details = try SSHSignature(armored: armored).verifyDetails(Self.message)
        #expect(details.flags == 0x81 && details.counter == 9)
        let scratch = try ScratchDirectory()
        #expect(try OpenSSHTool(scratch).verifies(armored, message: Self.message, publicKey: authenticator.publicKeyLine))
    }

    @Test("a commit signed by a FIDO key verifies with stock git verify-commit and with SSHSig", arguments: [false, true])
    func commitVerifiesWithGit(webauthn: Bool) throws {
        let scratch = try ScratchDirectory()
        let git = ToolRunner(home: scratch.path, environment: ToolRunner.gitIdentity)
        let repo = try scratch.sub("repo", directory: true)
        try git.succeed("git", ["init", "-q", repo])
        let tree = try git.succeed("git", ["-C", repo, "mktree"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        let authenticator = try SoftwareAuthenticator(kind: webauthn ? .p256 : .ed25519)
        let payload = "tree \(tree)\nauthor Stock Git <stock@example.com> 1700000000 +0000\ncommitter Stock Git <stock@example.com> 1700000000 +0000\n\nsigned by a security key\n"
        let armored = try authenticator.armored(Data(payload.utf8), flags: 0x05, counter: 42,
                                                webauthn: webauthn ? .init(origin: "https://sigit.example") : nil)
        let header = "gpgsig " + armored.dropLast().replacingOccurrences(of: "\n", with: "\n ")
        let commit = payload.replacingOccurrences(of: "\n\nsigned", with: "\n\(header)\n\nsigned")
        let id = try git.succeed("git", ["-C", repo, "hash-object", "-t", "commit", "-w", "--stdin"], input: Data(commit.utf8))
            .text.trimmingCharacters(in: .whitespacesAndNewlines)
        let signers = try scratch.write("stock@example.com namespaces=\"git\" \(authenticator.publicKeyLine)\n", to: "allowed_signers")
        let verify = ["-C", repo, "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(signers)", "verify-commit", id]
        let result = try git.run("git", verify)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Good \"git\" signature"))

        let details = try SSHSignature(armored: armored).verifyDetails(Data(payload.utf8))
        #expect(details.flags == 0x05 && details.counter == 42)

        // The same signature on another message is refused by both.
        let forged = commit.replacingOccurrences(of: "signed by a security key", with: "signed by someone else")
        let forgedID = try git.succeed("git", ["-C", repo, "hash-object", "-t", "commit", "-w", "--stdin"], input: Data(forged.utf8))
            .text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try git.run("git", Array(verify.dropLast()) + [forgedID]).status != 0)
        #expect(!(try SSHSignature(armored: armored).verify(Data(forged.utf8))))
    }
}
