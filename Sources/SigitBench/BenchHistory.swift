import Foundation
import GitKit
import SigitCore
import SSHSig

/// Appends valid sigit history to a repository set up by `benchmarks/setup-repo.sh` (alice admin and legal, humans bob and
/// carol, service account bot with draft): agreements drafted by bot in batches, then per agreement a send by bot,
/// alice's legal review, and the signatures of bob and carol; every `parallelEvery`-th agreement has bob and carol
/// sign on two branches joined by an unsigned merge, as two clones pushing to one remote would. Commits are written in-process (libgit2, SSHSIG),
/// tens of thousands per minute, so 100k-commit repositories are cheap to build.
struct BenchHistory {
    let repo: Repository
    let signers: [String: any SSHSigner]
    let emails: [String: String]
    var time: Int64
    var parallelEvery = 5
    var batchSize = 100

    /// Appends agreements until the branch has at least `target` commits more; returns how many were written.
    mutating func append(commits target: Int, branch: String = "refs/heads/main") throws -> Int {
        guard var tip = try repo.resolveReference(branch) else { throw BenchError("no \(branch)") }
        var tree = try repo.commit(tip).tree
        var written = 0
        var index = try repo.treeEntry(tree, path: "agreements").map { try repo.treeEntries($0.id).count } ?? 0
        while written < target {
            // One signed commit by bot adds a batch of agreements (a bulk import; judged as bot's draft of each),
            // so the agreements/ tree is rewritten once per batch, not once per agreement.
            var batch: [(String, String)] = []
            var updates: [TreeUpdate] = []
            for _ in 0..<batchSize {
                index += 1
                let id = "a-\(index)"
                let files = Self.agreementFiles(title: "Benchmark agreement \(index)", text: "# Agreement \(index)\n\nThe parties agree to benchmark sigit.\n")
                updates.append(.upsert(path: "agreements/\(id)/agreement.yml", blob: try repo.writeBlob(files.yml), mode: 0o100644))
                updates.append(.upsert(path: "agreements/\(id)/doc.md", blob: try repo.writeBlob(files.doc), mode: 0o100644))
                batch.append((id, files.digest))
            }
            tree = try repo.updatedTree(base: tree, updates)
            tip = try commit("bot", tree: tree, parents: [tip], subject: "draft \(batch.count) agreements", EventTrailers())
            written += 1
            for (id, digest) in batch {
                tip = try commit("bot", tree: tree, parents: [tip], subject: "send \(id)", trailers(.send, "bot", id, digest: digest))
                tip = try commit("alice", tree: tree, parents: [tip], subject: "approve \(id) (step legal-review)",
                                 trailers(.approve, "alice", id, digest: digest, step: "legal-review"))
                let bob = try commit("bob", tree: tree, parents: [tip], subject: "approve \(id) (step signatures)",
                                     trailers(.approve, "bob", id, digest: digest, step: "signatures"))
                let number = Int(id.dropFirst(2)) ?? 0
                if number % parallelEvery == 0 {
                    let carol = try commit("carol", tree: tree, parents: [tip], subject: "approve \(id) (step signatures)",
                                           trailers(.approve, "carol", id, digest: digest, step: "signatures"))
                    tip = try commit(nil, tree: tree, parents: [bob, carol], subject: "Merge branch 'carol'", EventTrailers())
                    written += 5
                } else {
                    tip = try commit("carol", tree: tree, parents: [bob], subject: "approve \(id) (step signatures)",
                                     trailers(.approve, "carol", id, digest: digest, step: "signatures"))
                    written += 4
                }
            }
        }
        let old = try repo.resolveReference(branch)
        try repo.updateReference(branch, to: tip, expecting: old, message: "sigit-bench: \(written) commits")
        return written
    }

    /// Appends agreement `bench-open`: drafted, sent, approved by alice and bob; carol's signature is still open.
    mutating func appendOpenAgreement(branch: String = "refs/heads/main") throws {
        guard var tip = try repo.resolveReference(branch) else { throw BenchError("no \(branch)") }
        let id = "bench-open"
        let files = Self.agreementFiles(title: "Benchmark agreement waiting for carol",
                                        text: "# Open agreement\n\nCarol signs this one while the benchmark times sigit approve.\n")
        let tree = try repo.updatedTree(base: try repo.commit(tip).tree, [
            .upsert(path: "agreements/\(id)/agreement.yml", blob: try repo.writeBlob(files.yml), mode: 0o100644),
            .upsert(path: "agreements/\(id)/doc.md", blob: try repo.writeBlob(files.doc), mode: 0o100644),
        ])
        let digest = files.digest
        let old = tip
        tip = try commit("bot", tree: tree, parents: [tip], subject: "draft \(id)", trailers(.draft, "bot", id))
        tip = try commit("bot", tree: tree, parents: [tip], subject: "send \(id)", trailers(.send, "bot", id, digest: digest))
        tip = try commit("alice", tree: tree, parents: [tip], subject: "approve \(id) (step legal-review)",
                         trailers(.approve, "alice", id, digest: digest, step: "legal-review"))
        tip = try commit("bob", tree: tree, parents: [tip], subject: "approve \(id) (step signatures)",
                         trailers(.approve, "bob", id, digest: digest, step: "signatures"))
        try repo.updateReference(branch, to: tip, expecting: old, message: "sigit-bench: \(id)")
    }

    /// The two files of a benchmark agreement (legal review by role legal, then bob and carol sign) and its digest.
    static func agreementFiles(title: String, text: String) -> (yml: Data, doc: Data, digest: String) {
        let yml = Data("""
        title: "\(title)"
        documents: [doc.md]
        workflow:
          - step: legal-review
            approvers: [role:legal]
            require: 1
          - step: signatures
            approvers: [bob, carol]
            require: all

        """.utf8)
        let doc = Data(text.utf8)
        let digest = ContentDigest.digest([
            ContentDigest.File(mode: 0o100644, path: "agreement.yml", sha256: ContentDigest.sha256Hex(yml)),
            ContentDigest.File(mode: 0o100644, path: "doc.md", sha256: ContentDigest.sha256Hex(doc)),
        ])
        return (yml, doc, digest)
    }

    func trailers(_ action: Action, _ who: String, _ id: String, digest: String? = nil, step: String? = nil) -> EventTrailers {
        var t = EventTrailers()
        t.version = "1"
        t.action = action
        t.agreement = id
        t.identity = who
        t.digest = digest
        t.step = step
        return t
    }

    /// Writes one commit signed by `who` (nil: an unsigned merge) without moving any reference.
    mutating func commit(_ who: String?, tree: ObjectID, parents: [ObjectID], subject: String, _ trailers: EventTrailers) throws -> ObjectID {
        time += 1
        let name = who ?? "alice"
        let person = Signature(name: name, email: emails[name] ?? "\(name)@example.com", time: time, offsetMinutes: 0)
        let lines = trailers.lines()
        let message = subject + "\n" + (lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n") + "\n")
        let buffer = try repo.commitBuffer(tree: tree, parents: parents, author: person, committer: person, message: message)
        guard let who, let signer = signers[who] else { return try repo.createCommit(buffer: buffer, signature: nil) }
        let signed = try SSHSignature.sign(buffer, namespace: "git", hashAlgorithm: "sha512", with: signer)
        return try repo.createCommit(buffer: buffer, signature: signed.armored)
    }
}

/// A generator failure.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
