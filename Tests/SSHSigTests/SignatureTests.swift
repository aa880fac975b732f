import Foundation
import Testing
@testable import SSHSig

@Suite("SSHSIG signatures")
struct SignatureTests {
    static let message = Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 1 +0000\n\nx\n".utf8)

    @Test("ssh-keygen -Y verify accepts a signature made with a key file ssh-keygen wrote")
    func keygenVerifiesOurSignature() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        try tool.keygen("key")
        let key = try SSHPrivateKey(openSSH: scratch.read("key"))
        let signature = try SSHSignature.sign(Self.message, with: key)
        #expect(signature.namespace == "git")
        #expect(signature.hashAlgorithm == "sha512")
        #expect(try tool.verifies(signature.armored, message: Self.message, publicKey: key.publicKey.openSSH))
        #expect(try !tool.verifies(signature.armored, message: Self.message + Data("!".utf8), publicKey: key.publicKey.openSSH))
    }

    @Test("ssh-keygen -Y verify accepts signatures made natively with ECDSA P-256 and RSA key files (rsa-sha2-512)",
          arguments: [("ecdsa", 256), ("rsa", 2048), ("rsa", 4096)])
    func keygenVerifiesOtherTypes(type: String, bits: Int) throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        try tool.keygen("key", type: type, bits: bits)
        let key = try SSHPrivateKey(openSSH: scratch.read("key"))
        for _ in 0..<4 {  // ECDSA: r and s vary in length; each must encode as ssh-keygen expects
            let signature = try SSHSignature.sign(Self.message, with: key)
            #expect(try tool.verifies(signature.armored, message: Self.message, publicKey: key.publicKey.openSSH))
            #expect(try !tool.verifies(signature.armored, message: Self.message + Data("!".utf8), publicKey: key.publicKey.openSSH))
            var inner = SSHWireReader(signature.signature, context: "test")
            #expect(try inner.readText() == (type == "rsa" ? "rsa-sha2-512" : "ecdsa-sha2-nistp256"))
        }
    }

    @Test("SSHKeygenSigner signs an encrypted key file through ssh-keygen and SSH_ASKPASS; the result verifies")
    func keygenSignerWithAskpass() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let path = try tool.keygen("key", type: "ecdsa", bits: 256, passphrase: "secret words")
        let askpass = try scratch.write("#!/bin/sh\necho 'secret words'\n", to: "askpass", permissions: 0o700)
        let publicKey = try SSHPublicKey(openSSH: scratch.read("key.pub"))
        let signer = SSHKeygenSigner(keyPath: path, publicKey: publicKey, needsPassphrase: true,
                                     environment: tool.environment(["SSH_ASKPASS": askpass, "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"]))
        let signature = try SSHSignature.sign(Self.message, with: signer)
        #expect(signature.verify(Self.message))
        #expect(try tool.verifies(signature.armored, message: Self.message, publicKey: publicKey.openSSH))

        let wrong = try scratch.write("#!/bin/sh\necho nope\n", to: "askpass-wrong", permissions: 0o700)
        let refused = SSHKeygenSigner(keyPath: path, publicKey: publicKey, needsPassphrase: true,
                                      environment: tool.environment(["SSH_ASKPASS": wrong, "SSH_ASKPASS_REQUIRE": "force"]))
        #expect { try SSHSignature.sign(Self.message, with: refused) } throws: { error in
            "\(error)".contains("ssh-keygen -Y sign could not sign with \(path)") && "\(error)".contains("ssh-add")
        }
    }

    @Test("SSHKeygenSigner refuses a signature by another key than the one expected")
    func keygenSignerChecksTheKey() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let path = try tool.keygen("key")
        let other = SSHPrivateKey.generateEd25519(comment: "").publicKey
        let signer = SSHKeygenSigner(keyPath: path, publicKey: other, needsPassphrase: false, environment: tool.environment())
        #expect { try SSHSignature.sign(Self.message, with: signer) } throws: { "\($0)".contains("another key") }
    }

    @Test("ssh-keygen -Y verify accepts a sha256 signature and one in another namespace")
    func otherHashAndNamespace() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let signature = try SSHSignature.sign(Self.message, namespace: "file", hashAlgorithm: "sha256", with: key)
        #expect(signature.verify(Self.message, namespace: "file"))
        #expect(!signature.verify(Self.message))
        #expect(try tool.verifies(signature.armored, message: Self.message, publicKey: key.publicKey.openSSH, namespace: "file"))
    }

    @Test("signatures made by ssh-keygen -Y sign verify", arguments: [
        ("ed25519", nil, []), ("ecdsa", 256, []), ("rsa", 3072, []),
        ("ed25519", nil, ["hashalg=sha256"]), ("rsa", 2048, ["hashalg=sha256"]),
    ] as [(String, Int?, [String])])
    func weVerifyKeygenSignatures(type: String, bits: Int?, options: [String]) throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let path = try tool.keygen("key", type: type, bits: bits)
        let armored = try tool.sign(Self.message, key: path, options: options)
        let signature = try SSHSignature(armored: armored)
        #expect(signature.publicKey == (try SSHPublicKey(openSSH: scratch.read("key.pub"))))
        #expect(signature.armored == armored)
        #expect(signature.verify(Self.message))

        // wrong namespace, tampered message, another key
        #expect(!signature.verify(Self.message, namespace: "file"))
        #expect(!signature.verify(Self.message + Data("\n".utf8)))
        let other = SSHPrivateKey.generateEd25519(comment: "").publicKey
        let swapped = SSHSignature(publicKey: other, namespace: signature.namespace, hashAlgorithm: signature.hashAlgorithm, signature: signature.signature)
        #expect(!swapped.verify(Self.message))
    }

    @Test("the inner signature algorithm must fit the key")
    func algorithmMustFitKey() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let path = try tool.keygen("key", type: "rsa", bits: 2048)
        let signature = try SSHSignature(armored: tool.sign(Self.message, key: path))
        let signed = try #require(SSHSignature.signedData(Self.message, namespace: "git", hashAlgorithm: "sha512"))
        #expect(signature.publicKey.isValidSignature(signature.signature, for: signed))

        var reader = SSHWireReader(signature.signature, context: "test")
        #expect(try reader.readText() == "rsa-sha2-512")
        let raw = try reader.readString()
        for name in ["rsa-sha2-256", "ssh-rsa", "ssh-ed25519"] {
            var writer = SSHWireWriter()
            writer.writeString(name)
            writer.writeString(raw)
            #expect(!signature.publicKey.isValidSignature(writer.data, for: signed), "\(name)")
        }
    }

    @Test("an unknown hash algorithm never verifies and cannot be used to sign")
    func unknownHash() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "")
        let good = try SSHSignature.sign(Self.message, with: key)
        let relabelled = SSHSignature(publicKey: good.publicKey, namespace: "git", hashAlgorithm: "sha1", signature: good.signature)
        #expect(!relabelled.verify(Self.message))
        #expect(throws: SSHSigError.self) { try SSHSignature.sign(Self.message, hashAlgorithm: "md5", with: key) }
    }

    @Test("the armor is what git stores in the gpgsig header of `git -c gpg.format=ssh commit -S`")
    func matchesGitCommitSignature() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let keyPath = try tool.keygen("key")
        let repo = scratch.path("repo")
        let git = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"]
        try tool.succeed("git", ["init", "-q", repo], environment: git)
        try tool.succeed("git", [
            "-C", repo, "-c", "user.name=A", "-c", "user.email=a@example.com", "-c", "gpg.format=ssh",
            "-c", "user.signingkey=\(keyPath)", "commit", "-q", "--allow-empty", "-S", "-m", "signed",
        ], environment: git)
        let object = try tool.succeed("git", ["-C", repo, "cat-file", "commit", "HEAD"], environment: git).text

        // Split the raw commit into the signed payload and the gpgsig header value.
        var payload: [Substring] = []
        var gpgsig: [Substring] = []
        var inSignature = false
        for line in object.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("gpgsig ") {
                inSignature = true
                gpgsig.append(line.dropFirst("gpgsig ".count))
            } else if inSignature, line.hasPrefix(" ") {
                gpgsig.append(line.dropFirst())
            } else {
                inSignature = false
                payload.append(line)
            }
        }
        let stored = gpgsig.joined(separator: "\n")
        let signature = try SSHSignature(armored: stored)
        #expect(signature.armored == stored + "\n")
        #expect(signature.verify(Data(payload.joined(separator: "\n").utf8)))
        #expect(signature.publicKey == (try SSHPublicKey(openSSH: scratch.read("key.pub"))))

        // And a commit we sign ourselves has the same shape.
        let ours = try SSHSignature.sign(Data(payload.joined(separator: "\n").utf8), with: SSHPrivateKey(openSSH: scratch.read("key")))
        #expect(ours.armored.split(separator: "\n").map(\.count) == (stored + "\n").split(separator: "\n").map(\.count))
    }
}
