import Foundation
import Testing
@testable import GitKit

@Suite("Signed payload of a commit")
struct SignedPayloadTests {
    @Test("the payload of a commit signed by stock git is exactly what ssh-keygen verified")
    func stockGitSignedCommit() throws {
        let scratch = try ScratchRepository()
        let signer = try SSHKeygenSigner(tools: scratch.tools)
        try scratch.writeFile("doc.md", "content\n")
        try scratch.gitSucceeds("add", "doc.md")
        try scratch.gitSucceeds("-c", "gpg.format=ssh", "-c", "user.signingkey=\(signer.keyPath)",
                                "commit", "-q", "-S", "-m", "Signed by git", "-m", "Sigit-Action: send")
        let id = try #require(try scratch.repository.resolveReference("HEAD"))

        let extracted = try #require(try scratch.repository.signedPayload(of: id))
        #expect(extracted.signature.hasPrefix("-----BEGIN SSH SIGNATURE-----\n"))
        #expect(try signer.verifies(extracted.signature, payload: extracted.payload))
        // The payload is the raw commit without its gpgsig header, byte for byte.
        let raw = try scratch.gitSucceeds("cat-file", "commit", id.hex).text
        let unsigned = raw.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("gpgsig ") && !$0.hasPrefix(" ") }
            .joined(separator: "\n")
        #expect(extracted.payload == Data(unsigned.utf8))
        // Any other bytes do not verify: the check can fail.
        #expect(try !signer.verifies(extracted.signature, payload: extracted.payload + Data("\n".utf8)))
    }

    @Test("the payload of a commit written by GitKit is the buffer that was signed")
    func gitKitSignedCommit() throws {
        let scratch = try ScratchRepository()
        let signer = try SSHKeygenSigner(tools: scratch.tools)
        let buffer = try scratch.repository.makeCommitBuffer(["x": "1\n"], message: "ours\n")
        let id = try scratch.repository.createCommit(buffer: buffer, signature: try signer.sign(buffer))
        let extracted = try #require(try scratch.repository.signedPayload(of: id))
        #expect(extracted.payload == buffer)
        #expect(try signer.verifies(extracted.signature, payload: extracted.payload))
    }

    @Test("an unsigned commit has no signed payload")
    func unsignedCommit() throws {
        let scratch = try ScratchRepository()
        let id = try scratch.repository.makeCommit(message: "plain\n")
        #expect(try scratch.repository.signedPayload(of: id) == nil)
    }

    @Test("asking for the signature of a missing object throws")
    func missingObject() throws {
        let scratch = try ScratchRepository()
        let missing = try #require(ObjectID(hex: String(repeating: "0f", count: 20)))
        #expect(throws: GitError.self) { try scratch.repository.signedPayload(of: missing) }
    }
}
