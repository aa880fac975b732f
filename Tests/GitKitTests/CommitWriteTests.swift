import Foundation
import Testing
@testable import GitKit

@Suite("Writing commits")
struct CommitWriteTests {
    @Test("a commit written from blobs and trees reads back in stock git")
    func stockGitReadsCommit() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let blob = try repository.writeBlob(Data("hello\n".utf8))
        #expect(try scratch.gitSucceeds("cat-file", "-p", blob.hex).text == "hello\n")
        let tree = try repository.updatedTree(base: nil, [
            .upsert(path: "docs/readme.md", blob: blob, mode: 0o100644),
            .upsert(path: "run.sh", blob: blob, mode: 0o100755),
        ])
        let who = Repository.testSignature()
        let buffer = try repository.commitBuffer(tree: tree, parents: [], author: who, committer: who, message: "First\n\nBody.\n")
        let id = try repository.createCommit(buffer: buffer, signature: nil)

        #expect(try scratch.gitSucceeds("cat-file", "commit", id.hex).stdout == buffer)
        let shown = try scratch.gitSucceeds("cat-file", "-p", id.hex).text
        #expect(shown == "tree \(tree.hex)\nauthor Alice Example <alice@example.com> 1700000000 +0100\n"
            + "committer Alice Example <alice@example.com> 1700000000 +0100\n\nFirst\n\nBody.\n")
        #expect(try scratch.gitSucceeds("ls-tree", "-r", id.hex).text
            == "100644 blob \(blob.hex)\tdocs/readme.md\n100755 blob \(blob.hex)\trun.sh\n")
        #expect(try scratch.gitSucceeds("fsck", "--strict").status == 0)
    }

    @Test("a parent is recorded and the empty tree is git's empty tree")
    func parentsAndEmptyTree() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        #expect(try repository.emptyTree().hex == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
        let first = try repository.makeCommit(message: "root\n")
        let second = try repository.makeCommit(["a": "1\n"], parents: [first], message: "child\n")
        #expect(try scratch.gitSucceeds("rev-parse", "\(second.hex)^").line == first.hex)
        #expect(try repository.commit(second).parents == [first])
        #expect(try repository.commit(first).tree == repository.emptyTree())
    }

    @Test("a commit signed by ssh-keygen is a Good signature for git verify-commit")
    func signedCommitVerifiesInGit() throws {
        let scratch = try ScratchRepository()
        let signer = try SSHKeygenSigner(tools: scratch.tools)
        let buffer = try scratch.repository.makeCommitBuffer(["agreement.md": "terms\n"], message: "Sign\n\nSigit-Action: approve\n")
        let signature = try signer.sign(buffer)
        let id = try scratch.repository.createCommit(buffer: buffer, signature: signature)

        let verified = try scratch.git("-c", "gpg.ssh.allowedSignersFile=\(signer.allowedSignersPath)", "verify-commit", id.hex)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stderr.contains("Good \"git\" signature for alice@example.com"))
        let log = try scratch.gitSucceeds("-c", "gpg.ssh.allowedSignersFile=\(signer.allowedSignersPath)",
                                          "log", "-1", "--format=%G?", id.hex)
        #expect(log.line == "G")
    }

    @Test("the gpgsig header has the shape stock git gives it: no blank continuation line")
    func gpgsigHeaderShape() throws {
        let scratch = try ScratchRepository()
        let signer = try SSHKeygenSigner(tools: scratch.tools)
        let buffer = try scratch.repository.makeCommitBuffer(message: "Sign\n")
        let signature = try signer.sign(buffer)
        #expect(signature.hasSuffix("-----END SSH SIGNATURE-----\n"))
        let id = try scratch.repository.createCommit(buffer: buffer, signature: signature)
        let raw = try scratch.gitSucceeds("cat-file", "commit", id.hex).text
        let expectedHeader = "gpgsig " + signature.dropLast().replacingOccurrences(of: "\n", with: "\n ") + "\n"
        #expect(raw.contains(expectedHeader + "\n"), "\(raw)")
        // The header value is the signature ssh-keygen wrote, less its final newline.
        let extracted = try #require(try scratch.repository.signedPayload(of: id))
        #expect(extracted.signature + "\n" == signature)
    }

    @Test("a buffer that libgit2 cannot store unchanged is refused", arguments: [
        Data("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nx\0y\n".utf8),
        Data("no header end".utf8),
    ])
    func unstorableBuffer(buffer: Data) throws {
        let scratch = try ScratchRepository()
        #expect(throws: GitError.self) { try scratch.repository.createCommit(buffer: buffer, signature: nil) }
    }

    @Test("a NUL character in the message or an identity is refused rather than cut off")
    func nulInText() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let who = Repository.testSignature()
        var nulName = who
        nulName.name = "Eve\0Mallory"
        #expect(throws: GitError.self) {
            try repository.commitBuffer(tree: repository.emptyTree(), parents: [], author: who, committer: who, message: "a\0b\n")
        }
        #expect(throws: GitError.self) {
            try repository.commitBuffer(tree: repository.emptyTree(), parents: [], author: nulName, committer: who, message: "a\n")
        }
    }

    @Test("a commit buffer naming a missing parent or tree is refused")
    func missingObjects() throws {
        let scratch = try ScratchRepository()
        let repository = scratch.repository
        let missing = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let who = Repository.testSignature()
        #expect(throws: GitError.self) {
            try repository.commitBuffer(tree: missing, parents: [], author: who, committer: who, message: "x\n")
        }
        #expect(throws: GitError.self) {
            try repository.commitBuffer(tree: repository.emptyTree(), parents: [missing], author: who, committer: who, message: "x\n")
        }
    }
}
