import Foundation
import GitKit
@testable import SigitCore

extension HistoryRunner {
    /// The policy document in main's tree.
    func currentDocument() throws -> PolicyDocument? {
        guard let entry = try repo.treeEntry(try repo.commit(main).tree, path: Policy.path) else { return nil }
        return documents[entry.id]
    }

    /// A policy change on main: 0 add dave, 1 carol joins legal, 2 bob leaves legal, 3 bob becomes admin and the
    /// threshold 2, 4 retire bob's keys (valid-before now), 5 revoke dave's key. While a proposal is pending, an admin
    /// who has not signed for it approves it instead, or (one time in three) alice withdraws it by writing the policy
    /// in force back (`sigit policy withdraw`).
    func changePolicy(_ change: Int, state s: ModelState) throws {
        guard let policy = s.policy else { return }
        if !s.pending.isEmpty, change % 3 == 2,
           let (blob, doc) = documents.sorted(by: { $0.key < $1.key }).first(where: { "sha256:" + ContentDigest.sha256Hex($0.value.data) == s.policyDigest }) {
            var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: blob, mode: 0o100644)]
            if let signers = doc.allowedSigners {
                updates.append(.upsert(path: ".sigit/allowed_signers", blob: try writer.blob(signers), mode: 0o100644))
            }
            let tree = try writer.tree(main, updates)
            main = try writer.commit(.identity("alice"), tree: tree, parents: [main],
                                     message: HistoryWriter.message("policy: withdraw", HistoryWriter.trailers(.policy, "alice")),
                                     note: "main: withdraw the pending policy change (serial \(doc.serial) back) by alice")
            return
        }
        if let (digest, pending) = s.pending.sorted(by: { $0.key < $1.key }).first {
            guard let who = policy.holders(of: .admin).sorted().first(where: { !pending.approvers.contains($0) }) else { return }
            var t = HistoryWriter.trailers(.policyApprove, who)
            t.policyDigest = digest
            try keep(0, who, "policy-approve \(digest.prefix(15))", t)
            return
        }
        guard var doc = try currentDocument(), doc.serial == policy.serial else { return }
        let next = time + writer.step
        let what: String
        switch change % 6 {
        case 0:
            guard doc.identities["dave"] == nil else { return }
            doc.identities["dave"] = [PolicyDocument.Key(openSSH: writer.cast.keys["dave"]?.publicKey.openSSH ?? "")]
            what = "add identity dave"
        case 1:
            guard !(doc.roles["legal"] ?? []).contains("carol") else { return }
            doc.roles["legal", default: []].append("carol")
            what = "carol joins legal"
        case 2:
            guard (doc.roles["legal"] ?? []).contains("bob"), (doc.roles["legal"] ?? []).count > 1 else { return }
            doc.roles["legal"]?.removeAll { $0 == "bob" }
            what = "bob leaves legal"
        case 3:
            guard doc.threshold == 1 else { return }
            if !doc.admins.contains("bob") { doc.admins.append("bob") }
            doc.threshold = 2
            what = "bob admin, threshold 2"
        case 4:
            guard let key = doc.identities["bob"]?.first, key.validBefore == nil else { return }
            for index in (doc.identities["bob"] ?? []).indices { doc.identities["bob"]?[index].validBefore = next }
            what = "retire bob's keys (valid-before \(PolicyDocument.rfc3339(next)))"
        default:
            guard let key = doc.identities["dave"]?.first, !key.revoked else { return }
            doc.identities["dave"]?[0].revoked = true
            what = "revoke dave's key"
        }
        doc.serial += 1
        let blob = try repo.writeBlob(doc.data)
        documents[blob] = doc
        var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: blob, mode: 0o100644)]
        if let signers = doc.allowedSigners {
            updates.append(.upsert(path: ".sigit/allowed_signers", blob: try writer.blob(signers), mode: 0o100644))
        }
        let tree = try writer.tree(main, updates)
        main = try writer.commit(.identity("alice"), tree: tree, parents: [main],
                                 message: HistoryWriter.message("policy: \(what)", HistoryWriter.trailers(.policy, "alice")),
                                 note: "main: policy serial \(doc.serial): \(what) by alice")
    }

    var time: Int64 { writer.time }
}
