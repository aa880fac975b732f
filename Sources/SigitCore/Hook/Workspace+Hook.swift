import Foundation
import GitKit

extension Workspace {
    /// The first line of the hook `sigit hook install` writes (so it can be recognised and replaced).
    public static let hookMarker = "# sigit pre-receive hook"

    /// The repository git names in its environment (GIT_DIR, and the quarantine object directory a pre-receive
    /// hook sees new objects in).
    public static func fromGitEnvironment() throws -> Workspace {
        do {
            return Workspace(repository: try Repository.openFromEnvironment())
        } catch {
            throw SigitError.repository("cannot open the repository git names in GIT_DIR (\(error)); run this from a git hook")
        }
    }

    /// Branches the hook protects from deletion and non-fast-forward updates: git config `sigit.protect`
    /// (comma-separated), else the branch HEAD names.
    public func protectedBranches() throws -> [String] {
        if let value = try repo.configString("sigit.protect"), !value.isEmpty {
            return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let head = try repo.headReferenceName()
        return head.hasPrefix("refs/heads/") ? [String(head.dropFirst("refs/heads/".count))] : []
    }

    /// References the hook accepts besides branches and seals: git config `sigit.allowRef` (comma-separated
    /// patterns, written by `sigit hook install --allow-ref`); a stored pattern that is not valid is refused.
    public func allowedRefPatterns() throws -> [RefPattern] {
        guard let value = try repo.configString("sigit.allowRef") else { return [] }
        return try value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map {
            do {
                return try RefPattern($0)
            } catch {
                throw SigitError.repository("git config sigit.allowRef holds \(Name.quoted($0)), not a reference pattern; fix it with sigit hook install --allow-ref")
            }
        }
    }

    /// Writes `hooks/pre-receive` (or the one under core.hooksPath) running `sigit hook pre-receive` with the binary
    /// at `sigit`, and records the protected branches and the `allowRefs` patterns (each given list replaces the
    /// stored one; an empty one keeps it). Refuses to replace a hook sigit did not write unless `force`.
    public func installHook(sigit: String, protect: [String], allowRefs: [String] = [], root: String?, force: Bool) throws -> String {
        for branch in protect { try Name.checkBranch(branch) }
        let patterns = try allowRefs.map { try RefPattern($0) }
        if let replace = patterns.first(where: { $0.text.hasPrefix("refs/replace/") }) {
            throw SigitError.badInput("--allow-ref \(Name.quoted(replace.text)): replace references are never accepted (stock git would show the replacement wherever the original is named); no pattern can allow them")
        }
        // git runs hooks from the working tree's top (a bare repository's own folder): a relative hooksPath starts there.
        let hooks = try repo.configString("core.hooksPath").map { $0.hasPrefix("/") ? $0 : (repo.workdir ?? repo.gitDir) + "/" + $0 } ?? repo.gitDir + "/hooks"
        let path = hooks + "/pre-receive"
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), !existing.contains(Self.hookMarker), !force {
            throw SigitError.badInput("\(path) exists and was not written by sigit; move it aside or pass --force")
        }
        guard FileManager.default.isExecutableFile(atPath: sigit) else {
            throw SigitError.badInput("\(TerminalText.safe(sigit)) is not an executable; pass --sigit PATH")
        }
        // Everything is checked before anything is written; then the hook, then the configuration it reads.
        var pin: ObjectID?
        if let root {
            guard let id = ObjectID(hex: root.lowercased()), (try? repo.commit(id)) != nil else {
                throw SigitError.badInput("--root \(TerminalText.safe(root)) is not a commit of this repository")
            }
            pin = id
        } else if let head = try head() {
            pin = try Ledger(repository: repo).run(tip: head).state.root
        }
        if let pin, let pinned = try repo.configString("sigit.root"), !pinned.isEmpty, pinned != pin.hex {
            throw SigitError.badInput("this repository pinned trust root \(pinned) (git config sigit.root), not \(pin.hex); investigate before changing it")
        }
        let quoted = "'" + sigit.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let script = """
        #!/bin/sh
        \(Self.hookMarker): every pushed branch is checked by sigit verify; a push that breaks the policy is refused.
        # Written by sigit hook install; see docs/CI.md. Protected branches: git config sigit.protect.
        exec \(quoted) hook pre-receive

        """
        do {
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            try Workspace.writeFile(Data(script.utf8), to: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        } catch let error as SigitError {
            throw error
        } catch {
            throw SigitError.repository("cannot write \(path): \(error.localizedDescription)")
        }
        if let pin { try repo.setLocalConfig("sigit.root", pin.hex) }
        if !protect.isEmpty { try repo.setLocalConfig("sigit.protect", protect.joined(separator: ",")) }
        if !patterns.isEmpty { try repo.setLocalConfig("sigit.allowRef", patterns.map(\.text).joined(separator: ",")) }
        return path
    }

    /// Judges a push before git applies it (`pre-receive`): every new commit of every pushed branch is checked with
    /// the rules of `sigit verify` against the full history; protected branches may not be deleted or rewound;
    /// seal tags (`refs/tags/sigit/`) are never moved or deleted. Commits already on a branch here are not judged
    /// again (they were accepted when they came).
    ///
    /// Only branches and seals are accepted, plus references an `--allow-ref` pattern names (never replace
    /// references); a reference that shadows a protected branch (`refs/tags/main`) is refused whatever the
    /// patterns say. Deleting a reference outside branches and seals is accepted: it only removes.
    public func preReceive(_ updates: [RefUpdate]) throws -> PushVerdict {
        let protectedList = try protectedBranches()
        let protected = Set(protectedList)
        let allowed = try allowedRefPatterns()
        let existing = Array(try repo.references(matching: "refs/heads/*").values)
        let pinned = try repo.configString("sigit.root").flatMap { ObjectID(hex: $0) }
        var roots: [ObjectID] = []
        var judged: [String] = []  // `sigit verify` ranges of the branch updates refused for a violation
        var lines: [String] = []
        var accepted = true
        func refuse(_ ref: String, _ text: String) {
            accepted = false
            lines.append("sigit: \(ref): \(text)")
        }
        for update in updates {
            let ref = TerminalText.safe(update.ref)
            if update.new != nil, let shadowed = update.shadowedName(protected: protectedList) {
                refuse(ref, "shadows \(TerminalText.safe(shadowed)): a short name could be read as this reference instead of \(TerminalText.safe(shadowed)) (stock git tries refs/ and refs/tags/ before refs/heads/); choose another name")
                continue
            }
            if !RefUpdate.acceptedPrefixes.contains(where: update.ref.hasPrefix) {
                if update.new == nil {
                    lines.append("sigit: \(ref): deleted (removing a reference outside branches and seals is accepted)")
                } else if let reason = update.forbiddenReason {
                    refuse(ref, reason)
                } else if let pattern = allowed.first(where: { $0.matches(update.ref) }) {
                    lines.append("sigit: \(ref): allowed by \(TerminalText.safe(pattern.text)) (git config sigit.allowRef); not judged")
                } else {
                    refuse(ref, update.unlistedReason)
                }
                continue
            }
            if update.ref.hasPrefix("refs/tags/sigit/") {
                if update.old != nil {
                    refuse(ref, "a seal is never moved or deleted")
                } else if let new = update.new, let problem = try pushedSealProblem(update.ref, tag: new, pinned: pinned) {
                    refuse(ref, problem)
                } else {
                    lines.append("sigit: \(ref): seal ok")
                }
                continue
            }
            guard let branch = update.branch else { continue }
            guard let new = update.new else {
                if protected.contains(branch) { refuse(ref, "deleting a protected branch is refused") }
                continue
            }
            if let old = update.old, protected.contains(branch), old != new, !(try repo.isDescendant(new, of: old)) {
                refuse(ref, "not a fast-forward of \(old.hex.prefix(12)): signed history is never rewritten; merge (sigit sync) instead of rebasing or forcing")
                continue
            }
            let result = try Ledger(repository: repo).run(tip: new, hiding: existing + [update.old].compactMap { $0 })
            guard result.state.policy != nil, let root = result.state.root else {
                refuse(ref, "not a sigit history (no valid .sigit/policy.yml); only sigit histories are accepted here")
                continue
            }
            if let pinned = pinned ?? roots.first, pinned != root {
                refuse(ref, "history replaced: its trust root is \(root.hex) but this repository's is \(pinned.hex) (git config sigit.root)")
                continue
            }
            roots.append(root)
            for finding in result.findings {
                let line = "\(finding.severity == .violation ? "violation" : "warning") \(finding.commit.hex.prefix(12)) [\(finding.rule.rawValue)] \(TerminalText.safe(finding.message))"
                if finding.severity == .violation { refuse(ref, line) } else { lines.append("sigit: \(ref): \(line)") }
            }
            if result.findings.allSatisfy({ $0.severity != .violation }) {
                lines.append("sigit: \(ref): ok, \(Plural.count(result.checked, "new commit")) checked")
            } else {
                judged.append((update.old.map { "\($0.hex.prefix(12)).." } ?? "") + new.hex.prefix(12))
            }
        }
        if !accepted { lines.append("sigit: push refused; " + Self.refusalAdvice(ranges: judged)) }
        // The first accepted sigit history pins the trust root here, as a clone pins it on first use.
        if accepted, pinned == nil, let root = roots.first { try repo.setLocalConfig("sigit.root", root.hex) }
        return PushVerdict(accepted: accepted, lines: lines)
    }

    /// What the pusher runs next: the same check on their side, then a fix that keeps signed history.
    static func refusalAdvice(ranges: [String]) -> String {
        guard !ranges.isEmpty else { return "nothing was changed here; do what the lines above say, then push again" }
        let verify = ranges.map { "sigit verify \($0)" }.joined(separator: " and ")
        return "run \(verify) in your clone to see the same findings; drop the commits it names (they never reached this repository), redo those actions with sigit (it checks an action before it signs), then push again"
    }

    /// `sealProblem` for a pushed seal, judged on the history up to its target, which must have this repository's root.
    func pushedSealProblem(_ ref: String, tag: ObjectID, pinned: ObjectID?) throws -> String? {
        guard Self.sealAgreement(ref) != nil else { return Self.sealNameProblem }
        guard let (_, _, target) = try? repo.signedTag(tag), (try? repo.commit(target)) != nil else {
            return "a seal is an annotated tag on a commit (sigit seal writes it)"
        }
        let state = try Ledger(repository: repo).run(tip: target).state
        guard let root = state.root, pinned == nil || pinned == root else { return "the seal points into a history with another trust root" }
        return sealProblem(ref, tag: tag, state: state)
    }
}
