import Foundation
import Testing

/// Issue 14, "evidence that cannot lie": each class of history that once made sigit report something false, built
/// with stock git, and a control of the same shape that must pass. Spec sections 2, 4 and 5.
@Suite("evidence that cannot lie")
struct EvidenceAttackTests {
    /// The team with nda-1 completed (alice, bob, carol approved).
    static func completed() throws -> Team {
        let team = try Team()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        #expect(try team.status()["state"] as? String == "completed")
        return team
    }

    static func branch(_ team: Team) throws -> String {
        try team.git("branch", "--show-current").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a copy of commit `id` whose raw bytes are `transform`ed (stock git; no key needed) and returns its id.
    static func copy(_ team: Team, _ id: String, _ transform: (String) -> String) throws -> String {
        let raw = try team.git("cat-file", "commit", id).check().stdout
        let changed = transform(raw)
        #expect(changed != raw, "the copy must differ from the original")
        let file = team.sandbox.path("copy-\(UUID().uuidString).txt")
        try changed.write(toFile: file, atomically: true, encoding: .utf8)
        return try team.git("hash-object", "-t", "commit", "-w", file).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A copy of commit `id` (signed with an ECDSA key) whose signature is the other valid ECDSA signature of the same
    /// payload (s replaced by n - s): canonical armor, the same signed payload, a new commit id, made without the key.
    static func malleated(_ team: Team, _ id: String) throws -> String {
        let script = """
        import base64, subprocess, sys
        n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
        raw = subprocess.check_output(["git", "cat-file", "commit", sys.argv[1]])
        head, sep, msg = raw.partition(b"\\n\\n")
        lines = head.split(b"\\n")
        i = next(k for k, l in enumerate(lines) if l.startswith(b"gpgsig "))
        j = i + 1
        while j < len(lines) and lines[j].startswith(b" "): j += 1
        armor = [lines[i][len(b"gpgsig "):]] + [l[1:] for l in lines[i + 1:j]]
        blob = base64.b64decode(b"".join(armor[1:-1]))
        def rd(b, o):
            size = int.from_bytes(b[o:o + 4], "big")
            return b[o + 4:o + 4 + size], o + 4 + size
        def st(x): return len(x).to_bytes(4, "big") + x
        o = 10
        pub, o = rd(blob, o); ns, o = rd(blob, o); res, o = rd(blob, o); ha, o = rd(blob, o); sig, o = rd(blob, o)
        alg, p = rd(sig, 0); inner, p = rd(sig, p)
        r, q = rd(inner, 0); s, q = rd(inner, q)
        s2 = n - int.from_bytes(s, "big")
        sb = s2.to_bytes((s2.bit_length() + 7) // 8, "big")
        if sb[0] & 0x80: sb = b"\\0" + sb
        newblob = blob[:10] + st(pub) + st(ns) + st(res) + st(ha) + st(st(alg) + st(st(r) + st(sb)))
        b64 = base64.b64encode(newblob)
        body = [b64[k:k + 70] for k in range(0, len(b64), 70)]
        armor = [b"-----BEGIN SSH SIGNATURE-----"] + body + [b"-----END SSH SIGNATURE-----"]
        out = b"\\n".join(lines[:i] + [b"gpgsig " + armor[0]] + [b" " + l for l in armor[1:]] + lines[j:]) + sep + msg
        done = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], input=out, capture_output=True, check=True)
        print(done.stdout.decode().strip())
        """
        let file = team.sandbox.path("malleate.py")
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        let copy = try team.sandbox.run("/usr/bin/env", ["python3", file, id], in: team.sandbox.path(team.repo)).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(copy.count == 40 && copy != id)
        return copy
    }

    /// Adds dave, a human with an ECDSA P-256 key (whose signatures anyone can re-encode as another valid one).
    static func addEcdsaDave(_ team: Team) throws {
        try team.sandbox.key("dave", type: "ecdsa")
        try team.sigit("alice", "identity", "add", "dave", "--email", "dave@example.com", "--public-key", team.sandbox.path("keys/dave.pub")).check()
    }

    /// Merges `ref` into the current branch with stock git, unsigned, as a hosting service would.
    static func merge(_ team: Team, _ ref: String, unrelated: Bool = false) throws {
        var args = ["-c", "user.name=Hosting", "-c", "user.email=merge@example.com", "merge", "-q", "--no-edit", "--no-gpg-sign"]
        if unrelated { args.append("--allow-unrelated-histories") }
        try team.sandbox.run("/usr/bin/env", ["git"] + args + [ref], in: team.sandbox.path(team.repo)).check()
    }

    static func steps(_ team: Team) throws -> [[String: Any]] {
        try team.status()["steps"] as? [[String: Any]] ?? []
    }

    // MARK: 1. unrelated histories

    @Test("unrelated histories: an orphan branch merged with --allow-unrelated-histories adds files to a completed agreement and a template; never clean")
    func orphanMerge() throws {
        let team = try Self.completed()
        let main = try Self.branch(team)
        try team.git("checkout", "-q", "--orphan", "orphan").check()
        try team.git("rm", "-rq", "--cached", ".").check()
        try team.git("clean", "-fdxq").check()
        try FileManager.default.createDirectory(atPath: team.sandbox.path("repo/agreements/nda-1"), withIntermediateDirectories: true)
        try "Clause 9: Acme may disclose everything.\n".write(toFile: team.sandbox.path("repo/agreements/nda-1/zz-addendum.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: team.sandbox.path("repo/.sigit/templates/evil"), withIntermediateDirectories: true)
        try "title: evil\n".write(toFile: team.sandbox.path("repo/.sigit/templates/evil/agreement.yml"), atomically: true, encoding: .utf8)
        try team.git("add", "-A").check()
        try team.gitCommit(signedBy: nil, message: "unrelated", allowEmpty: false).check()
        try team.git("checkout", "-q", "-f", main).check()
        try Self.merge(team, "orphan", unrelated: true)
        #expect(FileManager.default.fileExists(atPath: team.sandbox.path("repo/agreements/nda-1/zz-addendum.md")))
        try team.expectViolation("unsigned")
        let status = try team.status()
        #expect(status["state"] as? String == "completed")
        #expect(status["tampered-at"] as? String != nil, "status must say the completed agreement's files were changed: \(status)")
        #expect(try team.sigit(nil, "status", "nda-1", "--check").status == 1)
    }

    @Test("control: a related branch merged unsigned that touches no protected path is clean")
    func relatedMergeControl() throws {
        let team = try Self.completed()
        try team.git("checkout", "-q", "-b", "side").check()
        try "notes\n".write(toFile: team.sandbox.path("repo/NOTES.md"), atomically: true, encoding: .utf8)
        try team.git("add", "NOTES.md").check()
        try team.gitCommit(signedBy: nil, message: "notes", allowEmpty: false).check()
        try team.git("checkout", "-q", "-").check()
        try team.git("commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "elsewhere").check()
        try Self.merge(team, "side")
        try team.expectClean(not: "unsigned")
        #expect(try team.sigit(nil, "status", "nda-1", "--check").status == 0)
    }

    // MARK: 2. event identity

    @Test("replay: a copy of round 1's approval (ECDSA signature re-encoded, same signed payload) merged after round 2 began counts nothing")
    func replayedApprovalAcrossRounds() throws {
        let team = try Team()
        try Self.addEcdsaDave(team)
        try team.sigit("alice", "role", "add", "legal", "dave").check()
        try team.handApprove("dave", step: "legal-review").check()
        let approval = try team.tip()
        #expect(try Self.steps(team).first?["state"] as? String == "complete")
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nRevised.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "revise").check()
        try team.sigit("bot", "send", "nda-1").check()
        #expect(try Self.steps(team).first?["state"] as? String == "pending")
        let copy = try Self.malleated(team, approval)
        #expect(try team.git("verify-commit", copy).status == 0, "stock git accepts the copy's signature: only event identity tells them apart")
        try team.git("branch", "replay", copy).check()
        try Self.merge(team, "replay")
        try team.expectViolation("replay")
        #expect(try Self.steps(team).first?["state"] as? String == "pending", "round 1's approval must not fill round 2")
    }

    @Test("replay: a copy of a revision cannot reopen the agreement after completion")
    func replayedDraftAfterCompletion() throws {
        let team = try Team()
        try Self.addEcdsaDave(team)
        try team.sigit("alice", "grant", "draft", "dave").check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nRevised by dave.\n" }
        try team.routingCommit("dave", message: "revise", allowEmpty: false, all: true).check()
        let revision = try team.tip()
        try team.sigit("bot", "send", "nda-1").check()
        for who in ["alice", "bob", "carol"] { try team.sigit(who, "approve", "nda-1").check() }
        #expect(try team.status()["state"] as? String == "completed")
        let copy = try Self.malleated(team, revision)
        try team.git("branch", "old-draft", copy).check()
        try Self.merge(team, "old-draft")
        try team.expectViolation("replay")
        #expect(try team.status()["state"] as? String == "completed")
        #expect(try team.sigit(nil, "status", "nda-1", "--check").status == 0)
    }

    @Test("signature-encoding: a copy whose armor has one extra space is a violation and counts nothing")
    func reencodedArmor() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let approval = try team.tip()
        let copy = try Self.copy(team, approval) { raw in
            guard let range = raw.range(of: "\n -----END SSH SIGNATURE-----") else { return raw }
            return raw.replacingCharacters(in: range, with: "\n  -----END SSH SIGNATURE-----")
        }
        try team.git("reset", "-q", "--hard", copy).check()
        try team.expectViolation("signature-encoding")
        #expect(try Self.steps(team).first?["state"] as? String == "pending")
    }

    @Test("control: the original approval, not copied, counts and verify is clean")
    func originalApprovalControl() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.expectClean(not: "replay")
        #expect(try Self.steps(team).first?["state"] as? String == "complete")
    }

    // MARK: 3. events are judged at their own parents

    @Test("rounds: an approval made in a stale round on another clone never counts for the round that replaced it")
    func staleRoundApproval() throws {
        let team = try Team()
        let main = try Self.branch(team)
        try team.git("checkout", "-q", "-b", "clone").check()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.git("checkout", "-q", main).check()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nRevised.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "revise").check()
        try team.sigit("bot", "send", "nda-1").check()
        try Self.merge(team, "clone")
        #expect(try Self.steps(team).first?["state"] as? String == "pending", "alice approved round 1, not round 2")
        #expect(try team.status()["state"] as? String == "in-progress")
    }

    @Test("rounds: two parallel sends joined by a merge leave the agreement in draft (warning), not in either round")
    func parallelSends() throws {
        let team = try Team(nda: true, send: false)
        let main = try Self.branch(team)
        try team.git("checkout", "-q", "-b", "other").check()
        try team.sigit("bot", "send", "nda-1").check()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.git("checkout", "-q", main).check()
        // Another parent, so this send is another event (the same second could otherwise make the same commit).
        try team.git("commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "elsewhere").check()
        try team.sigit("bot", "send", "nda-1").check()
        try Self.merge(team, "other")
        let v = try team.verify()
        #expect(v.warnings.contains("parallel-rounds"), "\(v)")
        #expect(try team.status()["state"] as? String == "draft")
    }

    @Test("control: parallel signers of one round on two clones are joined; the merge completes the agreement, and seal, certificate and export agree")
    func completionAtMerge() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        let main = try Self.branch(team)
        try team.git("checkout", "-q", "-b", "clone").check()
        try team.sigit("bob", "approve", "nda-1").check()
        try team.git("checkout", "-q", main).check()
        try team.sigit("carol", "approve", "nda-1").check()
        #expect(try team.status()["state"] as? String == "in-progress")
        try Self.merge(team, "clone")
        let merge = try team.tip()
        let status = try team.status()
        #expect(status["state"] as? String == "completed")
        #expect(status["completed-at"] as? String == merge, "the merge completed it: \(status)")
        try team.expectClean(not: "replay")
        try team.sigit("alice", "seal", "nda-1").check()
        #expect(try team.git("rev-parse", "sigit/nda-1/completed^{commit}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines) == merge)
        let certificate = try team.sigit(nil, "certificate", "nda-1", "--format", "json", "--at", "sigit/nda-1/completed").check().json()
        let agreement = certificate["agreement"] as? [String: Any]
        #expect(agreement?["state"] as? String == "completed", "\(certificate)")
        #expect(certificate["interim"] as? Bool == false)
        try team.sigit(nil, "export", "nda-1", "-o", team.sandbox.path("evidence"), "--at", "sigit/nda-1/completed").check()
    }

    @Test("rounds: a decline on one side ends the round even when the other side's fills complete it")
    func declineBeatsParallelCompletion() throws {
        let team = try Team()
        try team.sigit("alice", "approve", "nda-1").check()
        try team.sigit("bob", "approve", "nda-1").check()
        let main = try Self.branch(team)
        try team.git("checkout", "-q", "-b", "clone").check()
        try team.sigit("carol", "decline", "nda-1", "--reason", "no").check()
        try team.git("checkout", "-q", main).check()
        try team.sigit("carol", "approve", "nda-1").check()
        #expect(try team.status()["state"] as? String == "completed")
        try Self.merge(team, "clone")
        #expect(try team.status()["state"] as? String == "declined")
    }

    // MARK: 4. symlinks and gitlinks

    @Test("malformed-object: a symbolic link in an agreement folder never counts; the draft that adds it is a violation")
    func symlinkInAgreement() throws {
        let team = try Team(nda: true, send: false)
        try "Outside text\n".write(toFile: team.sandbox.path("repo/OUTSIDE.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: team.sandbox.path("repo/agreements/nda-1/annex.md"), withDestinationPath: "../../OUTSIDE.md")
        try team.git("add", "-A").check()
        try team.routingCommit("bot", message: "add annex", allowEmpty: false).check()
        try team.expectViolation("malformed-object")
        let status = try team.status()
        #expect(status["tampered-at"] as? String != nil, "\(status)")
        #expect(try team.sigit("bot", "send", "nda-1").status != 0, "a tampered agreement cannot be sent")
    }

    @Test("malformed-object: a gitlink in an agreement folder is reported and every command keeps working")
    func gitlinkInAgreement() throws {
        let team = try Self.completed()
        let head = try team.tip()
        try team.git("update-index", "--add", "--cacheinfo", "160000,\(head),agreements/nda-1/sub").check()
        try team.gitCommit(signedBy: nil, message: "gitlink", allowEmpty: false).check()
        try team.expectViolation("malformed-object")
        #expect(try team.sigit(nil, "status", "nda-1").status == 0)
        #expect(try team.sigit(nil, "status", "nda-1", "--check").status == 1)
        #expect(try team.sigit(nil, "log", "nda-1").status == 0)
    }

    // MARK: 5. a violation never moves state

    @Test("a signed edit after completion: status says completed and tampered, --check exits 1, certificate and seal are refused")
    func editAfterCompletion() throws {
        let team = try Self.completed()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nClause 9: changed after signing.\n" }
        try team.routingCommit("bot", message: "sneaky edit", allowEmpty: false, all: true).check()
        try team.expectViolation("terminal")
        let status = try team.status()
        #expect(status["state"] as? String == "completed")
        #expect(status["tampered-at"] as? String == (try team.tip()))
        #expect(try team.sigit(nil, "status", "nda-1", "--check").status == 1)
        let text = try team.sigit(nil, "status", "nda-1").check().stdout
        #expect(text.contains("TAMPERED"))
        #expect(try team.sigit(nil, "certificate", "nda-1", "--format", "json").status == 2)
        #expect(try team.sigit("alice", "seal", "nda-1").status == 2)
    }

    @Test("an unsigned edit of an agreement in progress does not move it and approvals of the changed files do not count")
    func unsignedEditInProgress() throws {
        let team = try Team()
        try team.edit("agreements/nda-1/agreement.yml") { $0.replacingOccurrences(of: "require: all", with: "require: 1") }
        try team.git("commit", "-q", "-a", "--no-gpg-sign", "-m", "loosen").check()
        try team.expectViolation("unsigned")
        let status = try team.status()
        #expect(status["state"] as? String == "in-progress")
        #expect(status["tampered-at"] as? String != nil)
        #expect(try team.handApprove("alice", step: "legal-review", digest: nil).status == 0)
        try team.expectViolation("digest-mismatch")
        #expect(try Self.steps(team).first?["state"] as? String == "pending")
    }

    @Test("control: a valid revision by a drafter moves the agreement to draft and is not tampering")
    func validRevisionControl() throws {
        let team = try Team()
        try team.edit("agreements/nda-1/nda.md") { $0 + "\nRevised.\n" }
        try team.sigit("bot", "draft", "nda-1", "-m", "revise").check()
        let status = try team.status()
        #expect(status["state"] as? String == "draft")
        #expect(status["tampered-at"] == nil || status["tampered-at"] is NSNull)
        try team.expectClean(not: "terminal")
    }

    // MARK: 7. hostile objects

    @Test("malformed-object: a commit with a malformed committer line is reported; status of every agreement keeps working")
    func malformedCommitter() throws {
        let team = try Self.completed()
        let tree = try team.git("rev-parse", "HEAD^{tree}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try team.tip()
        let file = team.sandbox.path("bad-commit.txt")
        try "tree \(tree)\nparent \(head)\nauthor A <a@x> 1 +0000\ncommitter broken line\n\nmsg\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try team.git("hash-object", "-t", "commit", "-w", "--literally", file).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try team.git("update-ref", "HEAD", bad).check()
        try team.expectViolation("malformed-object")
        #expect(try team.status()["state"] as? String == "completed")
        #expect(try team.sigit(nil, "status").status == 0)
    }

    @Test("malformed-object: a tree nested 100,000 deep under an agreement neither crashes nor stops sigit")
    func deepTree() throws {
        let team = try Self.completed()
        let script = """
        import hashlib, struct, subprocess, zlib
        objects = []
        def write(kind, body):
            objects.append((kind, body))
            return hashlib.sha1(kind.encode() + b" " + str(len(body)).encode() + b"\\0" + body).hexdigest()
        blob = write("blob", b"deep\\n")
        tree = write("tree", b"100644 f\\0" + bytes.fromhex(blob))
        for _ in range(100000):
            tree = write("tree", b"40000 d\\0" + bytes.fromhex(tree))
        # One pack, not 100,000 loose files.
        def header(kind, size):
            byte = ({"blob": 3, "tree": 2}[kind] << 4) | (size & 15)
            size >>= 4
            out = bytearray()
            while size:
                out.append(byte | 0x80)
                byte = size & 0x7F
                size >>= 7
            out.append(byte)
            return bytes(out)
        pack = bytearray(b"PACK" + struct.pack(">II", 2, len(objects)))
        for kind, body in objects: pack += header(kind, len(body)) + zlib.compress(body, 1)
        pack += hashlib.sha1(pack).digest()
        subprocess.run(["git", "index-pack", "--stdin"], input=bytes(pack), capture_output=True, check=True)
        def run(*args, data=None):
            return subprocess.run(["git", *args], input=data, capture_output=True, text=True, check=True).stdout
        def replaced(listing, name, mode, kind, sha):
            lines = [l for l in listing.splitlines() if not l.endswith("\\t" + name)]
            return "\\n".join(lines + [f"{mode} {kind} {sha}\\t{name}"]) + "\\n"
        nda = run("mktree", data=replaced(run("ls-tree", "HEAD:agreements/nda-1"), "deep", "040000", "tree", tree)).strip()
        agreements = run("mktree", data=replaced(run("ls-tree", "HEAD:agreements"), "nda-1", "040000", "tree", nda)).strip()
        root = run("mktree", data=replaced(run("ls-tree", "HEAD"), "agreements", "040000", "tree", agreements)).strip()
        commit = run("-c", "user.name=X", "-c", "user.email=x@example.com", "commit-tree", root, "-p", "HEAD", "-m", "deep").strip()
        run("update-ref", "HEAD", commit)
        print(commit)
        """
        try script.write(toFile: team.sandbox.path("deep.py"), atomically: true, encoding: .utf8)
        try team.sandbox.run("/usr/bin/env", ["python3", team.sandbox.path("deep.py")], in: team.sandbox.path("repo")).check()
        try team.expectViolation("malformed-object")
        #expect(try team.status()["state"] as? String == "completed")
        #expect(try team.sigit(nil, "status", "nda-1", "--check").status == 1)
    }
}
