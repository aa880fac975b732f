import Foundation
import GitKit
@testable import SigitCore
import SSHSig

extension HistoryRunner {
    /// One attack on main (spec 2 and 4); does nothing when the history gives it nothing to work on.
    func attack(_ kind: MutationKind, _ id: String, pick: Int, state s: ModelState) throws {
        let ag = s.agreements[id]
        switch kind {
        case .armorCopy:
            // Copy one of the last signed commits on main's first-parent line with a re-encoded armor; merge it in.
            var line: [ObjectID] = []
            var cursor: ObjectID? = main
            while let c = cursor, line.count < 6 {
                if try repo.signedPayload(of: c) != nil { line.append(c) }
                cursor = try repo.parents(of: c).first
            }
            guard !line.isEmpty else { return }
            let original = line[pick % line.count]
            let style = pick % 3
            guard let copy = try writer.copy(original, note: "copy of \(original.hex.prefix(8)) with armor re-encoded (style \(style))", armor: { Self.reencode($0, style: style) }) else { return }
            try mergeIntoMain(copy, signer: .unsigned, note: "merge the copy")
        case .replay:
            var line: [ObjectID] = []
            var cursor: ObjectID? = main
            while let c = cursor, line.count < 4 {
                if try repo.commit(c).committer.name == "bob", try repo.signedPayload(of: c) != nil { line.append(c) }
                cursor = try repo.parents(of: c).first
            }
            guard !line.isEmpty, let second = writer.cast.keys["bob#2"] else { return }
            let original = line[pick % line.count]
            guard let (_, payload) = try repo.signedPayload(of: original) else { return }
            let armored = try SSHSignature.sign(payload, namespace: "git", hashAlgorithm: "sha512", with: second).armored
            guard let copy = try writer.copy(original, note: "the event of \(original.hex.prefix(8)) signed again with bob's second key", armor: { _ in armored }) else { return }
            try mergeIntoMain(copy, signer: .unsigned, note: "merge the second copy")
        case .orphanMerge:
            guard ag != nil else { return }
            let orphanTree = try repo.updatedTree(base: nil, [.upsert(path: "agreements/\(id)/annex.md", blob: try writer.blob("Annex added by an orphan branch.\n"), mode: 0o100644)])
            let orphan = try writer.commit(.unsigned, tree: orphanTree, parents: [], message: "orphan\n", note: "orphan commit adding agreements/\(id)/annex.md")
            let tree = try writer.tree(main, [.upsert(path: "agreements/\(id)/annex.md", blob: try writer.blob("Annex added by an orphan branch.\n"), mode: 0o100644)])
            main = try writer.commit(.unsigned, tree: tree, parents: [main, orphan], message: "Merge unrelated history\n", note: "merge --allow-unrelated-histories (unsigned)")
        case .unsignedEdit:
            guard ag != nil else { return }
            let tree = try writer.tree(main, [.upsert(path: "agreements/\(id)/doc.md", blob: try writer.blob("# \(id)\n\nQuietly changed.\n"), mode: 0o100644)])
            main = try writer.commit(.unsigned, tree: tree, parents: [main], message: "fix typo\n", note: "unsigned edit of \(id)")
        case .mergedEdit:
            guard ag != nil else { return }
            var t = HistoryWriter.trailers(.notify, "bot", id)
            t.recipient = "bob"
            t.notice = "reminder"
            t.channel = "smtp"
            let side = try writer.commit(.identity("bot"), tree: try repo.commit(main).tree, parents: [main],
                                         message: HistoryWriter.message("notify \(id) bob", t), note: "side: notify \(id) bob by bot")
            let tree = try writer.tree(main, [.upsert(path: "agreements/\(id)/doc.md", blob: try writer.blob("# \(id)\n\nChanged in a merge.\n"), mode: 0o100644)])
            let signer: HistoryWriter.Signer = pick % 2 == 0 ? .unsigned : .identity("carol")
            main = try writer.commit(signer, tree: tree, parents: [main, side], message: "Merge side\n", note: "merge with an extra edit of \(id) (\(signer))")
        case .terminalEdit:
            guard let ag, ag.phase == .completed || ag.phase == .voided else { return }
            try writeDraft(id, by: "alice", branch: 0, variant: 0, subject: "amend \(id) after \(ag.phase.rawValue)")
        case .staleRound:
            guard let ag, ag.phase == .inProgress, let step = ag.currentStep, let policy = s.policy else { return }
            let eligible = Self.eligible(ag, step: step, policy: policy)
            guard eligible.count >= 2, let sender = ag.sender else { return }
            // Clone: an approval in the current round.
            let fork = main
            let (approver, behalf) = eligible[pick % eligible.count]
            var t = HistoryWriter.trailers(.approve, approver, id, digest: ag.digest, step: step.name)
            t.onBehalfOf = behalf
            let clone = try writer.commit(.identity(approver), tree: try repo.commit(fork).tree, parents: [fork],
                                          message: HistoryWriter.message("approve \(id) (step \(step.name))", t), note: "clone: approve \(id) step \(step.name) by \(approver) (round 1)")
            // Main: another recipient declines, the sender sends again at the same digest (round 2).
            let (decliner, dBehalf) = eligible[(pick + 1) % eligible.count]
            var d = HistoryWriter.trailers(.decline, decliner, id, digest: ag.digest, step: step.name)
            d.onBehalfOf = dBehalf
            try keep(0, decliner, "decline \(id) step \(step.name)", d)
            try keep(0, sender, "send \(id) again", HistoryWriter.trailers(.send, sender, id, digest: ag.digest))
            try mergeIntoMain(clone, signer: .unsigned, note: "merge the round-1 clone")
        case .symlink:
            guard ag != nil else { return }
            try writeDraft(id, by: "alice", branch: 0, variant: 0, extra: [.upsert(path: "agreements/\(id)/terms.md", blob: try writer.blob("doc.md"), mode: 0o120000)],
                           subject: "draft \(id) with a symlink")
        case .gitlink:
            guard ag != nil else { return }
            try writeDraft(id, by: "alice", branch: 0, variant: 0, extra: [.upsert(path: "agreements/\(id)/vendor", blob: main, mode: 0o160000)],
                           subject: "draft \(id) with a gitlink")
        case .deepTree:
            guard ag != nil else { return }
            let path = "agreements/\(id)/" + Array(repeating: "d", count: 40).joined(separator: "/") + "/deep.md"
            try writeDraft(id, by: "alice", branch: 0, variant: 0, extra: [.upsert(path: path, blob: try writer.blob("deep\n"), mode: 0o100644)],
                           subject: "draft \(id) with a deep tree")
        case .trailerTrick:
            guard let ag, ag.phase == .inProgress, let step = ag.currentStep, let policy = s.policy else { return }
            let eligible = Self.eligible(ag, step: step, policy: policy)
            guard !eligible.isEmpty else { return }
            let (who, behalf) = eligible[pick % eligible.count]
            var approve = HistoryWriter.trailers(.approve, who, id, digest: ag.digest, step: step.name)
            approve.onBehalfOf = behalf
            var decline = approve
            decline.action = .decline
            let a = approve.lines().joined(separator: "\n")
            let d = decline.lines().joined(separator: "\n")
            let message: String
            switch pick % 3 {
            case 0: message = "approve \(id)\n\n\(d)\n# ------------------------ >8 ------------------------\n\n\(a)\n"
            case 1: message = "approve \(id)\n\n\(d)\n---\n\n\(a)\n"
            default: message = "approve \(id)\n\n" + a.replacingOccurrences(of: "Sigit-Step: \(step.name)", with: "Sigit-Step: \(step.name)\n continued") + "\n"
            }
            main = try writer.commit(.identity(who), tree: try repo.commit(main).tree, parents: [main], message: message,
                                     note: "trailer trick \(pick % 3) on \(id) by \(who)")
        case .parallelSlot, .parallelRounds, .parallelTerminal, .voidByCreator:
            return
        case .enrollWrongSecret, .enrollExpired, .enrollTwice, .enrollNonPasskey, .enrollExtra, .enrollNoPresence, .enrollMerge, .enrollParallel, .inviteeScope, .inviteMalformed,
             .inviteMalformedDraft:
            try invitationAttack(kind, id, pick: pick, state: s)
        case .tokenUnlisted, .tokenOtherCommit, .tokenTruncated, .stampOthers, .tokenSmuggled, .tokenTwice, .forgedFork, .lateToken:
            try timestampAttack(kind, id, pick: pick, state: s)
        }
    }

    func mergeIntoMain(_ other: ObjectID, signer: HistoryWriter.Signer, note: String) throws {
        let tree: ObjectID
        switch try repo.mergeTrees(ours: main, theirs: other) {
        case .clean(let merged): tree = merged
        case .conflicts: tree = try repo.commit(main).tree
        }
        main = try writer.commit(signer, tree: tree, parents: [main, other], message: "Merge\n", note: note)
    }

    /// The same signature in another armor: 0 a trailing space on the first line, 1 base64 wrapped at 64, 2 a blank
    /// line before the end line.
    static func reencode(_ armor: String, style: Int) -> String {
        var lines = armor.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        switch style {
        case 0:
            lines[0] += " "
        case 1:
            let body = lines.dropFirst().dropLast().joined()
            var wrapped: [String] = []
            var rest = Substring(body)
            while !rest.isEmpty {
                wrapped.append(String(rest.prefix(64)))
                rest = rest.dropFirst(64)
            }
            lines = [lines[0]] + wrapped + [lines[lines.count - 1]]
        default:
            lines.insert("", at: lines.count - 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
