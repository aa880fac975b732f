import Foundation
import GitKit
@testable import SigitCore

/// Applies a script of `HistoryOp`s to a fresh repository: the main branch and the clones open at the moment.
/// Decisions (whose turn it is, which digest to bind) read the reference model's state at the branch tip, so most
/// generated events count; a pick of 100 or more chooses at random instead (events that must be refused).
final class HistoryRunner {
    let writer: HistoryWriter
    let model: ReferenceModel
    let kinds: Set<MutationKind>
    var main: ObjectID
    var clones: [ObjectID] = []
    /// Policy documents the generator wrote, by blob id.
    var documents: [ObjectID: PolicyDocument] = [:]
    /// Agreements created so far (revision counter by id).
    var revisions: [String: Int] = [:]
    /// Invitation secrets written so far, by their SHA-256 (hex): what the invitee's mail would carry.
    var secrets: [String: String] = [:]
    var repo: Repository { writer.repo }

    init(repo: Repository, kinds: Set<MutationKind>) throws {
        let cast = ModelCast()
        writer = HistoryWriter(repo: repo, cast: cast)
        model = ReferenceModel(repository: repo)
        self.kinds = kinds
        // The trust root: alice's signed init with the first policy and its allowed_signers.
        let doc = PolicyDocument(cast: cast)
        let policyBlob = try repo.writeBlob(doc.data)
        documents[policyBlob] = doc
        var updates: [TreeUpdate] = [.upsert(path: Policy.path, blob: policyBlob, mode: 0o100644)]
        if let signers = doc.allowedSigners {
            updates.append(.upsert(path: ".sigit/allowed_signers", blob: try repo.writeBlob(Data(signers.utf8)), mode: 0o100644))
        }
        let tree = try repo.updatedTree(base: nil, updates)
        main = try writer.commit(.identity("alice"), tree: tree, parents: [], message: HistoryWriter.message("init", HistoryWriter.trailers(.initialize, "alice")),
                                 note: "init by alice")
    }

    /// Runs a whole script, then joins the clones still open; returns the tip.
    func run(_ script: [HistoryOp]) throws -> ObjectID {
        for op in script { try apply(op, branch: 0) }
        try joinAll(style: 0)
        try repo.updateReference("refs/heads/main", to: main, expecting: try repo.resolveReference("refs/heads/main"), message: "model")
        return main
    }

    func tip(_ branch: Int) -> ObjectID { branch == 0 ? main : clones[branch - 1] }
    func setTip(_ branch: Int, _ id: ObjectID) { if branch == 0 { main = id } else { clones[branch - 1] = id } }
    var onMainOnly: Bool { clones.isEmpty }

    func apply(_ op: HistoryOp, branch: Int) throws {
        let s = try model.state(at: tip(branch))
        guard let policy = s.policy else { return }
        let onClone = branch != 0
        switch op {
        case .fork(let n):
            guard clones.isEmpty, branch == 0 else { return }
            clones = Array(repeating: main, count: max(1, min(n, 2)))
        case .on(let index, let inner):
            guard !clones.isEmpty, branch == 0 else { return }
            try apply(inner, branch: 1 + index % clones.count)
        case .join(let style):
            guard branch == 0 else { return }
            try joinAll(style: style)
        case .draft(let a, let pick):
            if onClone && !kinds.contains(.parallelRounds) { return }
            let id = "ag-\(a)"
            if let existing = s.agreements[id], existing.phase == .completed || existing.phase == .voided { return }
            // Revising an agreement in progress restarts its round: one time in three, so rounds get to finish.
            if let existing = s.agreements[id], existing.phase == .inProgress, pick % 3 != 0 { return }
            let drafters = (pick % 10 == 9 ? ["carol"] : ["alice", "bot"]).filter { policy.allows(.draft, $0) }
            // Content changes by someone without `draft` are an attack (unsigned-edit kind), not drawn here.
            let who = drafters.isEmpty ? "alice" : drafters[pick % drafters.count]
            try writeDraft(id, by: who, branch: branch, variant: pick % 2)
        case .send(let a, let pick):
            if onClone && !kinds.contains(.parallelRounds) { return }
            // The first agreement from `a` on that can be sent (any, for a random pick).
            guard let id = Self.first(from: a, in: s, where: { pick >= 100 || $0.phase == .draft || $0.phase == .declined }), let ag = s.agreements[id] else { return }
            let senders = ["alice", "bot"].filter { policy.allows(.draft, $0) }
            let who = pick >= 100 ? ModelCast.names[pick % 5] : (senders.isEmpty ? "alice" : senders[pick % senders.count])
            try keep(branch, who, "send \(id)", HistoryWriter.trailers(.send, who, id, digest: ag.digest))
        case .approve(let a, let pick), .decline(let a, let pick):
            let decline: Bool
            if case .decline = op { decline = true } else { decline = false }
            if onClone && decline && !kinds.contains(.parallelRounds) { return }
            if !onClone && decline && !clones.isEmpty && !kinds.contains(.parallelTerminal) { return }
            guard let id = Self.first(from: a, in: s, where: { pick >= 100 || $0.phase == .inProgress }), let ag = s.agreements[id] else { return }
            let action: Action = decline ? .decline : .approve
            if pick >= 100 {
                // Anyone, any step: usually refused.
                let who = ModelCast.names[pick % 5]
                let step = ag.workflow.isEmpty ? "review" : ag.workflow[pick % ag.workflow.count].name
                try keep(branch, who, "\(action.rawValue) \(id) (random)", HistoryWriter.trailers(action, who, id, digest: ag.sendDigest ?? ag.digest, step: step))
                return
            }
            guard ag.phase == .inProgress, let step = ag.currentStep else { return }
            if onClone && step.name == "review" && !kinds.contains(.parallelSlot) { return }
            let eligible = Self.eligible(ag, step: step, policy: policy)
            guard !eligible.isEmpty else { return }
            let (who, behalf) = eligible[pick % eligible.count]
            var t = HistoryWriter.trailers(action, who, id, digest: ag.digest, step: step.name)
            t.onBehalfOf = behalf
            try keep(branch, who, "\(action.rawValue) \(id) step \(step.name)\(behalf.map { " for \($0)" } ?? "")", t)
        case .delegate(let a, let pick):
            let id = "ag-\(a)"
            guard let ag = s.agreements[id], ag.phase == .inProgress, let step = ag.currentStep, step.delegation else { return }
            let from = Self.eligible(ag, step: step, policy: policy).filter { $0.1 == nil }.map(\.0)
            let to = ["dave", "alice"].filter { name in policy.identities[name] != nil && !step.approvers.contains(where: { $0.admits(name, in: policy) }) }
            guard !from.isEmpty, !to.isEmpty else { return }
            let who = from[pick % from.count]
            var t = HistoryWriter.trailers(.delegate, who, id, step: step.name)
            t.delegate = to[pick % to.count]
            try keep(branch, who, "delegate \(id) step \(step.name) to \(t.delegate ?? "")", t)
        case .void(let a, let pick):
            if onClone && !kinds.contains(.parallelRounds) { return }
            if !onClone && !clones.isEmpty && !kinds.contains(.parallelTerminal) { return }
            let id = "ag-\(a)"
            guard let ag = s.agreements[id] else { return }
            var who = [ag.sender ?? "alice", "alice"][pick % 2]
            if kinds.contains(.voidByCreator) && pick % 3 == 2 { who = ag.creator }
            if pick >= 100 {
                // Anyone; the creator only through the void-by-creator kind (the ledger lets a creator void).
                let anyone = ModelCast.names.filter { kinds.contains(.voidByCreator) || $0 != ag.creator || $0 == ag.sender || policy.allows(.void, $0) }
                who = anyone[pick % anyone.count]
            }
            try keep(branch, who, "void \(id)", HistoryWriter.trailers(.void, who, id))
        case .notify(let a, let pick):
            let id = "ag-\(a)"
            guard s.agreements[id] != nil else { return }
            let recipient = ["bob", "carol", "alice"][pick % 3]
            // Every other pick records a batch: this notice and one to the next recipient about the next agreement
            // (an unknown one when ag-(a+1) does not exist yet), the layout `sigit notify` writes.
            guard pick / 3 % 2 == 1 else {
                var t = HistoryWriter.trailers(.notify, "bot", id)
                t.recipient = recipient
                t.notice = "request"
                t.channel = "smtp"
                try keep(branch, "bot", "notify \(id) \(recipient)", t)
                return
            }
            let other = ["carol", "alice", "bob"][pick % 3]
            let t = EventTrailers.notify(identity: "bot", notices: [
                NoticeGroup(agreement: id, step: nil, recipient: recipient, notice: "request", channel: "smtp"),
                NoticeGroup(agreement: "ag-\(a + 1)", step: nil, recipient: other, notice: "reminder", channel: "smtp"),
            ])
            try keep(branch, "bot", "notify: 2 notices", t)
        case .comment(let a, let pick):
            // Anyone of the cast (dave is named only while he holds or gave a delegation), at the counted digest; a
            // random pick names the digest of the content in the tree, which a violation may have changed.
            let id = "ag-\(a)"
            guard let ag = s.agreements[id] else { return }
            let who = ModelCast.names[pick % 5]
            var digest = ag.digest
            if pick >= 100, let entry = try repo.treeEntry(try repo.commit(tip(branch)).tree, path: "agreements/\(id)") {
                digest = try Ledger(repository: repo).digest(of: entry.id)
            }
            try keep(branch, who, "comment \(id)", HistoryWriter.trailers(.comment, who, id, digest: digest))
        case .invite(let a, let pick):
            guard branch == 0, onMainOnly else { return }
            try invite("ag-\(a)", pick: pick, state: s)
        case .enroll(let pick):
            if !s.pending.isEmpty && pick < 100 { return }
            try enroll(branch: branch, pick: pick, state: s)
        case .invitee(let a, let pick):
            try actAsInvitee(a, pick: pick, branch: branch, state: s)
        case .timestamping(let step, let pick):
            try timestamping(step, pick: pick, branch: branch, state: s)
        case .policy(let change):
            guard branch == 0, onMainOnly else { return }
            try changePolicy(change, state: s)
        case .attack(let kind, let a, let pick):
            guard branch == 0, onMainOnly, kinds.contains(kind) else { return }
            try attack(kind, "ag-\(a)", pick: pick, state: s)
        }
    }

    /// The first agreement from ag-a on (in id order, wrapping around) that exists and satisfies `test`.
    static func first(from a: Int, in s: ModelState, where test: (ModelAgreement) -> Bool) -> String? {
        let ids = s.agreements.keys.sorted { (Int($0.dropFirst(3)) ?? 0) < (Int($1.dropFirst(3)) ?? 0) }
        let start = ids.firstIndex { (Int($0.dropFirst(3)) ?? 0) >= a } ?? 0
        for id in ids[start...] + ids[..<start] {
            if let ag = s.agreements[id], test(ag) { return id }
        }
        return nil
    }

    /// Identities that could fill a slot of `step` now, directly (nil) or for someone who delegated to them.
    static func eligible(_ ag: ModelAgreement, step: Step, policy: Policy) -> [(String, String?)] {
        let fills = ag.fills[step.name] ?? []
        let filled = Set(fills.flatMap { [$0.identity, $0.onBehalfOf].compactMap { $0 } })
        let taken = Set(fills.map(\.slot))
        let live = ag.delegations[step.name] ?? [:]
        func canFill(_ principal: String, signer: String) -> Bool {
            guard !filled.contains(principal), !filled.contains(signer), let identity = policy.identities[signer] else { return false }
            guard step.approvers.indices.contains(where: { !taken.contains($0) && step.approvers[$0].admits(principal, in: policy) }) else { return false }
            if step.humansOnly && !identity.kind.isHuman { return false }
            if !step.allowAuthor && (ag.authors.contains(signer) || ag.authors.contains(principal)) { return false }
            if identity.keys.allSatisfy({ $0.revoked || $0.validBefore != nil }) { return false }
            return true
        }
        var out: [(String, String?)] = []
        for name in ModelCast.names where live[name] == nil && canFill(name, signer: name) { out.append((name, nil)) }
        for (recipient, d) in live.sorted(by: { $0.key < $1.key }) where canFill(recipient, signer: d.delegate) { out.append((d.delegate, recipient)) }
        return out
    }

    /// A signed commit that keeps the tree.
    func keep(_ branch: Int, _ who: String, _ subject: String, _ trailers: EventTrailers) throws {
        let parent = tip(branch)
        let id = try writer.commit(.identity(who), tree: try repo.commit(parent).tree, parents: [parent],
                                   message: HistoryWriter.message(subject, trailers), note: "\(branch == 0 ? "main" : "clone\(branch)"): \(subject) by \(who)")
        setTip(branch, id)
    }

    /// The agreement file of `id`. The review step of ag-1 in its second variant, and of ag-2 (in long histories),
    /// asks for a hardware key (spec section 7): every key the model's cast signs with is a software key, so every
    /// approve and decline there is `assurance` (and such an agreement never gets past its review).
    /// With `invitee` (histories with invitations, once erin is in the policy) erin is also a reviewer (one of two
    /// needed in the second variant) and takes bob's place among the signatures; erin's passkey meets the hardware
    /// assurance.
    static func agreementYAML(_ id: String, variant: Int, invitee: Bool = false) -> String {
        let assurance = (id == "ag-1" && variant == 1) || id == "ag-2" ? "\n    assurance: {hardware: true}" : ""
        let signers = invitee ? "[\(ModelCast.invitee), carol]" : "[bob, carol]"
        let reviewers = invitee ? (variant == 0 ? "[role:legal, \(ModelCast.invitee)]" : "[alice, role:legal, \(ModelCast.invitee)]\n    require: 2")
                                : (variant == 0 ? "[role:legal]" : "[alice, role:legal]")
        if variant == 0 {
            return """
            title: "Agreement \(id)"
            documents: [doc.md]
            workflow:
              - step: review
                approvers: \(reviewers)
                require: 1\(assurance)
              - step: signatures
                approvers: \(signers)
                delegation: true

            """
        }
        return """
        title: "Agreement \(id), two reviewers"
        documents: [doc.md]
        workflow:
          - step: review
            approvers: \(reviewers)\(assurance)
          - step: signatures
            approvers: \(signers)
            allow-author: true
            delegation: true

        """
    }

    /// A signed draft: creates the agreement or revises its document.
    func writeDraft(_ id: String, by who: String, branch: Int, variant: Int, extra: [TreeUpdate] = [], subject: String? = nil) throws {
        let parent = tip(branch)
        let revision = (revisions[id] ?? 0) + 1
        revisions[id] = revision
        var updates: [TreeUpdate] = [.upsert(path: "agreements/\(id)/doc.md", blob: try writer.blob("# \(id)\n\nRevision \(revision).\n"), mode: 0o100644)]
        let names = try namesInvitee(at: parent)
        if let existing = try repo.treeEntry(try repo.commit(parent).tree, path: "agreements/\(id)/agreement.yml") {
            // Section 9: once erin is in the policy, a revision names erin in the signatures step.
            if names, try !String(decoding: repo.blob(existing.id), as: UTF8.self).contains(ModelCast.invitee) {
                updates.append(.upsert(path: "agreements/\(id)/agreement.yml", blob: try writer.blob(Self.agreementYAML(id, variant: variant, invitee: true)), mode: 0o100644))
            }
        } else {
            updates.append(.upsert(path: "agreements/\(id)/agreement.yml", blob: try writer.blob(Self.agreementYAML(id, variant: variant, invitee: names)), mode: 0o100644))
        }
        let tree = try writer.tree(parent, updates + extra)
        let text = subject ?? "draft \(id) (revision \(revision))"
        let commit = try writer.commit(.identity(who), tree: tree, parents: [parent], message: HistoryWriter.message(text, HistoryWriter.trailers(.draft, who, id)),
                                       note: "\(branch == 0 ? "main" : "clone\(branch)"): \(text) by \(who)")
        setTip(branch, commit)
    }

    /// Merges every clone into main, one merge each: style 0 unsigned, 1 signed by alice, 2 signed by a hosting key.
    /// A conflicting merge keeps main's side of each conflict (then it is not clean: a content change by its signer).
    func joinAll(style: Int) throws {
        let open = clones
        clones = []
        for (index, clone) in open.enumerated() where clone != main {
            let tree: ObjectID
            switch try repo.mergeTrees(ours: main, theirs: clone) {
            case .clean(let merged): tree = merged
            case .conflicts: tree = try repo.commit(main).tree
            }
            let signer: HistoryWriter.Signer = [.unsigned, .identity("alice"), .hosting][style % 3]
            main = try writer.commit(signer, tree: tree, parents: [main, clone], message: "Merge clone \(index + 1)\n",
                                     note: "merge clone\(index + 1) into main (\(signer))")
        }
    }
}
