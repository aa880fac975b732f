import Foundation
import Testing

/// What sigit sets up in a clone: the trust root pinned on first use (said once), and the git config that lets stock
/// `git log --show-signature` check signatures wherever the clone is.
@Suite("clone set-up")
struct CloneSetupTests {
    @Test("trust on first use: a fresh clone's first sigit command pins the root and says so on stderr, once")
    func firstUseAnnounced() throws {
        let team = try Team()
        try team.makeRemote()
        try team.clone("other")
        let root = try team.git("rev-list", "--max-parents=0", "HEAD").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = try team.sandbox.sigit("other", as: nil, ["status", "--json"]).check()
        #expect(first.stderr == "sigit: trusting root \(root) (first use; pinned in git config sigit.root)\n", "\(first.stderr)")
        #expect(try team.sandbox.git("other", "config", "sigit.root").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines) == root)
        let again = try team.sandbox.sigit("other", as: nil, ["status", "--json"]).check()
        #expect(again.stderr.isEmpty, "\(again.stderr)")
        // The repository sigit init made pinned its root when it wrote it: nothing to announce there.
        #expect(try team.sigit(nil, "status").check().stderr.isEmpty)
    }

    @Test("gpg.ssh.allowedSignersFile is relative: stock git log --show-signature checks signatures after the clone is moved, from the top and from a subdirectory")
    func allowedSignersAfterMove() throws {
        let team = try Team()
        try team.makeRemote()
        try team.clone("other")
        try team.sandbox.sigit("other", as: nil, ["status"]).check()
        for clone in ["repo", "other"] {
            #expect(try team.sandbox.git(clone, "config", "gpg.ssh.allowedSignersFile").check().stdout == ".sigit/allowed_signers\n")
            try FileManager.default.moveItem(atPath: team.sandbox.path(clone), toPath: team.sandbox.path("moved-\(clone)"))
            for directory in ["moved-\(clone)", "moved-\(clone)/agreements/nda-1"] {
                let log = try team.sandbox.run("/usr/bin/env", ["git", "log", "--show-signature", "-1"], in: team.sandbox.path(directory)).check()
                #expect(log.stdout.contains("Good \"git\" signature for bot@example.com"), "\(directory): \(log.stdout) \(log.stderr)")
            }
        }
    }

    @Test("an absolute gpg.ssh.allowedSignersFile naming a .sigit/allowed_signers (set by an older sigit, stale after a move) is rewritten by the next command; another file is left alone")
    func staleAbsolutePathHealed() throws {
        let team = try Team()
        try team.git("config", "gpg.ssh.allowedSignersFile", "/gone/old-place/repo/.sigit/allowed_signers").check()
        #expect(try team.git("log", "--show-signature", "-1").stdout.contains("Good \"git\" signature for") == false, "the stale path names no one")
        try team.sigit(nil, "status").check()
        #expect(try team.git("config", "gpg.ssh.allowedSignersFile").check().stdout == ".sigit/allowed_signers\n")
        #expect(try team.git("log", "--show-signature", "-1").check().stdout.contains("Good \"git\" signature for bot@example.com"))
        // A file of the user's own choosing stays.
        try team.git("config", "gpg.ssh.allowedSignersFile", "/etc/ssh/my_signers").check()
        try team.sigit(nil, "status").check()
        #expect(try team.git("config", "gpg.ssh.allowedSignersFile").check().stdout == "/etc/ssh/my_signers\n")
    }
}
