import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// `sigit init`: writes the trust root (policy serial 1 with the first admin) and pins it in git config.
    public func initialize(name: String, displayName: String?, email: String?) throws -> Written {
        try Name.check(name, "identity name")
        let branch = try branch()
        let tip = try head()
        var baseTree: ObjectID?
        if let tip {
            let result = try Ledger(repository: repo).run(tip: tip)
            if result.state.root != nil {
                throw SigitError.repository("this repository already has a sigit trust root (\(result.state.root?.hex ?? "")); nothing to initialize")
            }
            baseTree = try repo.commit(tip).tree
            if let tree = baseTree, try repo.treeEntry(tree, path: Policy.path) != nil {
                throw SigitError.repository(".sigit/policy.yml already exists but has no valid trust root; remove it or run sigit verify to see why")
            }
        }
        let displayName = try displayName ?? repo.configString("user.name")
        let email = try email ?? repo.configString("user.email")
        guard let displayName, !displayName.isEmpty else {
            throw SigitError.badInput("no display name: pass --display-name or set git config user.name")
        }
        guard let email, !email.isEmpty else {
            throw SigitError.badInput("no email: pass --email or set git config user.email")
        }
        try PolicyEditor.checkPerson(displayName: displayName, email: email)
        let signer = try signer()
        let me = Identity(id: name, name: displayName, email: email, kind: .human, keys: [PolicyKey(key: signer.publicKey)])
        let policy = Policy(serial: 1, identities: [name: me], permissions: [.admin: [name], .draft: [name], .void: [name]])
        var trailers = EventTrailers()
        trailers.version = "1"
        trailers.action = .initialize
        trailers.identity = name
        let draft = EventDraft(
            subject: "init sigit repository (admin \(name))",
            trailers: trailers,
            files: try PolicyEditor.files(policy),
            checkoutPaths: [Policy.path, PolicyEditor.allowedSignersPath])
        try refuseLocalChanges(draft)
        let tree = try tree(base: baseTree, draft.files)
        let record = CommitRecord(id: .zero, tree: tree, parents: tip.map { [$0] } ?? [], committer: signature(me),
                                  subject: draft.subject, body: draft.body, trailers: .success(trailers), signature: .good(signer.publicKey), eventID: nil)
        let (state, findings) = try Ledger(repository: repo).evaluate(candidate: record, on: RepositoryState())
        if let problem = findings.first(where: { $0.severity == .violation }) {
            throw SigitError.notAllowed("refused (\(problem.rule.rawValue)): \(problem.message); nothing was written")
        }
        let commit = try commitSigned(draft, tree: tree, parents: tip.map { [$0] } ?? [], identity: me, signer: signer)
        do {
            try repo.updateReference(branch, to: commit, expecting: tip, message: "sigit: init")
        } catch let error as GitError where error.code == .modified || error.code == .exists || error.code == .locked {
            throw SigitError.conflict("the branch moved while sigit init ran; nothing was written, run it again")
        }
        try pin(commit)
        try repo.checkoutHead(paths: draft.checkoutPaths)
        return Written(commit: commit, identity: name, state: state)
    }
}
