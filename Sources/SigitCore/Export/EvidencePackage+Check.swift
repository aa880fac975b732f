import Foundation
import GitKit

extension EvidencePackage {
    /// `sigit verify --export PATH [--root COMMIT]`: checks an evidence package offline. The history is judged by
    /// every rule (nothing is pinned or written); the certificate (JSON and HTML), allowed_signers and VERIFY.md are
    /// rebuilt from it and must match byte for byte; the seal, when present, must point to the completing commit.
    /// The trust root must be `expectedRoot` when given, else the one the certificate names.
    public static func check(_ path: String, expectedRoot: String?) throws -> ExportVerdict {
        let json: Data
        do {
            json = try Data(contentsOf: URL(fileURLWithPath: path + "/" + jsonFile))
        } catch {
            throw SigitError.badInput("\(TerminalText.safe(path)) is not an evidence package (no readable \(jsonFile))")
        }
        let certificate: Certificate
        do {
            certificate = try JSONDecoder().decode(Certificate.self, from: json)
        } catch {
            throw SigitError.badInput("\(jsonFile) is not a \(Certificate.schemaName) certificate: \(error)")
        }
        guard certificate.schema == Certificate.schemaName else {
            throw SigitError.badInput("\(jsonFile) has schema \(TerminalText.safe(certificate.schema)); this sigit reads \(Certificate.schemaName)")
        }
        let id = certificate.agreement.id
        try Name.check(id, "agreement id")
        let repo: Repository
        let tip: ObjectID
        do {
            repo = try Repository.open(path + "/" + historyFolder)
            guard let main = try repo.resolveReference(branch) else { throw SigitError.badInput("\(historyFolder) has no \(branch)") }
            tip = main
        } catch let error as SigitError {
            throw error
        } catch {
            throw SigitError.badInput("cannot read \(historyFolder) in \(TerminalText.safe(path)): \(error)")
        }
        let result = try Ledger(repository: repo).run(tip: tip)
        guard let root = result.state.root else { throw SigitError.badInput("\(historyFolder) is not a sigit history (no policy)") }
        var verdict = ExportVerdict(id: id, state: "?", tip: tip.hex, root: root.hex, checked: result.checked, findings: result.findings, problems: [])
        if let expectedRoot, expectedRoot.lowercased() != root.hex {
            verdict.problems.append("the trust root is \(root.hex), not \(TerminalText.safe(expectedRoot))")
        } else if expectedRoot == nil, certificate.repository.trustRoot != root.hex {
            verdict.problems.append("the certificate names trust root \(TerminalText.safe(certificate.repository.trustRoot)), the history has \(root.hex)")
        }
        guard let now = RFC3339.parse(certificate.generated) else {
            throw SigitError.badInput("\(jsonFile): generated is not an RFC 3339 time")
        }
        let rebuilt = try Certificate.build(id: id, result: result, commit: tip, repo: repo, now: now, generator: certificate.generator)
        verdict.state = rebuilt.agreement.state
        var seal: (String, ObjectID)?
        let sealReference = "refs/tags/" + Workspace.sealTag(id)
        if try repo.resolveReference(sealReference) != nil {
            let target = try repo.revparse(sealReference + "^{commit}")
            if rebuilt.agreement.state != "completed" || rebuilt.agreement.stateCommit != target.hex {
                verdict.problems.append("the seal \(Workspace.sealTag(id)) points to \(target.hex), not to the commit that completed the agreement")
            }
            seal = (Workspace.sealTag(id), target)
        }
        let expected = try gather(id: id, certificate: rebuilt, result: result, tip: tip, seal: seal)
        for (name, data) in try expected.files() {
            let actual = try? Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
            if actual != data {
                verdict.problems.append(actual == nil ? "\(name) is missing" : "\(name) differs from what the history gives\(name == jsonFile ? differences(certificate, rebuilt) : "")")
            }
        }
        return verdict
    }

    /// The parts of a certificate that differ, e.g. " (events, verdict)".
    static func differences(_ a: Certificate, _ b: Certificate) -> String {
        var parts: [String] = []
        if a.interim != b.interim { parts.append("interim") }
        if a.agreement != b.agreement { parts.append("agreement") }
        if a.repository != b.repository { parts.append("repository") }
        if a.policy != b.policy { parts.append("policy") }
        if a.verdict != b.verdict { parts.append("verdict") }
        if a.events != b.events { parts.append("events") }
        if a.identities != b.identities { parts.append("identities") }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
    }
}
