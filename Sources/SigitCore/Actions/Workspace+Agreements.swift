import Foundation
import GitKit

extension Workspace {
    /// The value a missing placeholder gets while `newAgreement` looks for every other problem at once.
    static let standIn = "sigit-missing-value"

    /// `sigit new TEMPLATE ID`: renders a template into `agreements/<id>/` as one signed draft event.
    public func newAgreement(template name: String, id: String, values: [String: String]) throws -> Written {
        try Name.check(id, "agreement id")
        return try write { state, me in
            guard let policy = state.policy else { throw SigitError.repository("no policy in force") }
            guard policy.allows(.draft, me.id) else {
                throw SigitError.notAllowed("\(me.id) lacks the draft permission; an admin can grant it (sigit grant draft \(me.id))")
            }
            let tip = try self.head()
            let tree = try tip.map { try self.repo.commit($0).tree }
            if let tree, try self.repo.treeEntry(tree, path: "agreements/" + id) != nil {
                throw SigitError.badInput("agreement \(id) already exists; choose another id")
            }
            let template = try TemplateStore(repo: self.repo, tree: tree, environment: self.environment).template(name)
            var values = values
            values["id"] = id
            values["drafter"] = me.id
            values["date"] = String(RFC3339.format(Date()).prefix(10))
            let file = "agreements/\(id)/agreement.yml"
            let (missing, unknown) = TemplateRenderer.check(template, values: values)
            if !missing.isEmpty || !unknown.isEmpty {
                // Name what the policy lacks too, when the template renders with stand-ins for the missing values.
                var trial = values.filter { !unknown.contains($0.key) }
                for name in missing { trial[name] = Self.standIn }
                let absent = (try? TemplateRenderer.render(template, values: trial)).flatMap { $0[AgreementSpec.fileName] }
                    .flatMap { try? AgreementSpec(yaml: $0, file: file) }?.unknownSlots(in: policy).filter { $0 != .identity(Self.standIn) } ?? []
                throw SigitError.badInput(TemplateRenderer.describe(template, missing: missing, unknown: unknown, absent: absent))
            }
            let rendered = try TemplateRenderer.render(template, values: values)
            guard let yaml = rendered[AgreementSpec.fileName] else { throw SigitError.badInput("template \(name) has no agreement.yml") }
            let spec: AgreementSpec
            do {
                spec = try AgreementSpec(yaml: yaml, file: file)
            } catch let error as SchemaError {
                throw SigitError.badInput("the rendered \(error); check the --set values")
            }
            let absent = spec.unknownSlots(in: policy)
            if !absent.isEmpty {
                throw SigitError.badInput(TemplateRenderer.describe(template, missing: [], unknown: [], absent: absent))
            }
            var trailers = self.trailers(.draft, me, agreement: id)
            trailers.digest = nil
            var files: [String: EventDraft.FileChange] = [:]
            for (path, data) in rendered { files["agreements/\(id)/\(path)"] = .write(data, executable: false) }
            return EventDraft(subject: "draft \(id) from template \(name)", body: "Title: \(spec.title)", trailers: trailers,
                              files: files, checkoutPaths: ["agreements/\(id)"])
        }
    }

    /// `sigit draft ID`: commits the working tree's `agreements/<id>/` as a signed revision (back to draft).
    public func revise(id: String, message: String?) throws -> Written {
        try Name.check(id, "agreement id")
        guard let workdir = repo.workdir else { throw SigitError.repository("a bare repository has no working tree to draft from") }
        let folder = workdir + "/agreements/" + id
        return try write { state, me in
            guard state.agreements[id]?.treeID != nil else { throw SigitError.badInput("no agreement \(id); create it with sigit new") }
            let local = try Self.readFolder(folder)
            guard local[AgreementSpec.fileName] != nil else { throw SigitError.badInput("agreements/\(id)/agreement.yml is missing in the working tree") }
            guard let tip = try self.head() else { throw SigitError.repository("no commits") }
            let tree = try self.repo.commit(tip).tree
            let committed = try self.repo.treeEntry(tree, path: "agreements/" + id).map { try self.repo.files($0.id) } ?? []
            var files: [String: EventDraft.FileChange] = [:]
            for (path, change) in local { files["agreements/\(id)/\(path)"] = change }
            for entry in committed where local[entry.path] == nil { files["agreements/\(id)/\(entry.path)"] = .remove }
            var draft = EventDraft(subject: "draft \(id) (revision)", body: message ?? "", trailers: self.trailers(.draft, me, agreement: id),
                                   files: files, checkoutPaths: [])
            let newTree = try self.tree(base: tree, files)
            guard newTree != tree else { throw SigitError.badInput("agreements/\(id) has no changes to draft") }
            draft.refreshPaths = ["agreements/\(id)"]
            return draft
        }
    }

    /// `sigit send ID`: opens a round at the current digest.
    public func send(id: String) throws -> Written {
        try Name.check(id, "agreement id")
        return try write { state, me in
            let track = try self.track(id, state)
            let phase = track.phase(at: Date())
            guard [.draft, .declined, .expired].contains(phase) else {
                throw SigitError.notAllowed("agreement \(id) is \(phase.rawValue); only a draft (or a declined or expired one) can be sent")
            }
            // A workflow nobody can ever finish (its only possible signers made this revision, or are not human
            // on a humans-only step) is refused before anyone is asked.
            if case .success(let spec) = track.spec, let policy = state.policy,
               let problem = Eligibility.unfinishable(spec.workflow, authors: track.authors, policy: policy) {
                throw SigitError.notAllowed("agreement \(id) cannot be completed as it stands: \(problem); change the workflow or the policy; nothing was written")
            }
            var trailers = self.trailers(.send, me, agreement: id)
            trailers.digest = track.digest
            return EventDraft(subject: "send \(id)", trailers: trailers)
        }
    }

    /// `sigit approve ID` / `sigit decline ID`: fills (or refuses) the signer's slot in the current step.
    /// `expected` pins the content digest the signer reviewed; without it, the digest seen on the first attempt is
    /// pinned, so a retry after the branch moved never binds the answer to content that changed meanwhile.
    public func respond(id: String, approve: Bool, step: String?, text: String?, expected: String? = nil) throws -> Written {
        try Name.check(id, "agreement id")
        if let step { try Name.check(step, "step name") }
        if !approve {
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw SigitError.badInput("a decline needs --reason TEXT")
            }
        }
        var pinned = try expected.map(DigestText.parse)
        var pinnedStep: String?  // a retry after the branch moved answers the step the signer meant, not the next one
        return try write { state, me in
            let track = try self.track(id, state)
            let phase = track.phase(at: Date())
            guard phase == .inProgress else {
                throw SigitError.notAllowed("agreement \(id) is \(phase.rawValue); only an agreement in progress can be \(approve ? "approved" : "declined")")
            }
            // What the signer sees is what they sign: local edits of the folder would be signed as the committed text.
            try self.refuseUncommittedAgreementFiles(id)
            if let pinned, pinned != track.digest {
                throw SigitError.notAllowed("agreement \(id) now has digest \(track.digest), not the \(pinned) you reviewed; review it again (sigit status \(id)); nothing was written")
            }
            pinned = track.digest
            guard let current = track.currentStep else { throw SigitError.notAllowed("agreement \(id) has no open step") }
            let stepName = step ?? pinnedStep ?? current.name
            pinnedStep = stepName
            var trailers = self.trailers(approve ? .approve : .decline, me, agreement: id)
            trailers.digest = track.digest
            trailers.step = stepName
            // A delegate acts for the recipient who handed the step over.
            trailers.onBehalfOf = track.delegation(of: stepName, heldBy: me.id)?.identity
            let verb = approve ? "approve" : "decline"
            return EventDraft(subject: "\(verb) \(id) (step \(stepName))", body: text ?? "", trailers: trailers)
        }
    }

    /// The track of agreement `id`, or a clear error.
    func track(_ id: String, _ state: RepositoryState) throws -> AgreementTrack {
        guard let track = state.agreements[id], track.treeID != nil else {
            throw SigitError.badInput("no agreement \(id) on this branch; sigit status lists them")
        }
        return track
    }

    /// The trailers every event carries.
    func trailers(_ action: Action, _ me: Identity, agreement: String?) -> EventTrailers {
        var trailers = EventTrailers()
        trailers.version = "1"
        trailers.action = action
        trailers.agreement = agreement
        trailers.identity = me.id
        return trailers
    }

    /// Regular files below `folder`, by relative path; refuses symlinks and special files.
    static func readFolder(_ folder: String) throws -> [String: EventDraft.FileChange] {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: folder) else { throw SigitError.badInput("\(folder) does not exist") }
        var out: [String: EventDraft.FileChange] = [:]
        while let item = walker.nextObject() as? String {
            let full = folder + "/" + item
            let attributes = try manager.attributesOfItem(atPath: full)
            let type = attributes[.type] as? FileAttributeType
            if type == .typeDirectory { continue }
            guard type == .typeRegular, let data = manager.contents(atPath: full) else {
                throw SigitError.badInput("\(full) is not a regular file; agreements hold regular files only")
            }
            let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            out[item] = .write(data, executable: permissions & 0o100 != 0)
        }
        return out
    }
}

extension Workspace {
    /// `sigit delegate ID --to NAME`: hands the signer's part of a step to another identity for this round.
    public func delegate(id: String, to delegate: String, step: String?, text: String?) throws -> Written {
        try Name.check(id, "agreement id")
        try Name.check(delegate, "identity name")
        if let step { try Name.check(step, "step name") }
        var pinnedStep: String?
        return try write { state, me in
            let track = try self.track(id, state)
            let phase = track.phase(at: Date())
            guard phase == .inProgress else {
                throw SigitError.notAllowed("agreement \(id) is \(phase.rawValue); only an agreement in progress can be delegated")
            }
            guard state.policy?.identities[delegate] != nil else {
                throw SigitError.badInput("\(delegate) is not an identity of the policy; sigit identity list shows them")
            }
            guard let stepName = step ?? pinnedStep ?? track.currentStep?.name else { throw SigitError.notAllowed("agreement \(id) has no open step") }
            pinnedStep = stepName
            var trailers = self.trailers(.delegate, me, agreement: id)
            trailers.step = stepName
            trailers.delegate = delegate
            return EventDraft(subject: "delegate \(id) (step \(stepName)) to \(delegate)", body: text ?? "", trailers: trailers)
        }
    }

    /// `sigit void ID --reason TEXT`: ends an agreement for good (needs `void`, or being its sender or creator).
    public func void(id: String, reason: String) throws -> Written {
        try Name.check(id, "agreement id")
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw SigitError.badInput("a void needs --reason TEXT") }
        return try write { state, me in
            let track = try self.track(id, state)
            let phase = track.phase(at: Date())
            guard !phase.isTerminal else { throw SigitError.notAllowed("agreement \(id) is already \(phase.rawValue)") }
            return EventDraft(subject: "void \(id)", body: reason, trailers: self.trailers(.void, me, agreement: id))
        }
    }
}
