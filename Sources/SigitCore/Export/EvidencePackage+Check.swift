import Crypto
import Foundation
import GitKit
import TrustedTime

extension EvidencePackage {
    /// `sigit verify --export PATH --root COMMIT`: checks an evidence package offline. The history is judged by
    /// every rule (nothing is pinned or written); the certificate (JSON and HTML), allowed_signers and VERIFY.md are
    /// rebuilt from it and must match byte for byte; the seal, when present, must point to the completing commit; each
    /// time-stamp token the package carries is verified again with TrustedTime against the certificate beside it.
    /// The trust root must be `expectedRoot`, the one the organisation published: without it, any history someone
    /// made with their own keys would pass, since every file is rebuilt from that same history.
    public static func check(_ path: String, expectedRoot: String) throws -> ExportVerdict {
        guard ObjectID(hex: expectedRoot.lowercased()) != nil else {
            throw SigitError.badInput("--root must be a commit id (40 hex digits), not \(TerminalText.safe(expectedRoot))")
        }
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
            throw SigitError.badInput("\(jsonFile) has schema \(TerminalText.safe(certificate.schema)); this sigit reads \(Certificate.schemaName) (export the agreement again with this sigit)")
        }
        let id = certificate.agreement.id
        try Name.check(id, "agreement id")
        // Before anything reads history.git: its config, and files that would pull in objects from elsewhere.
        let history = path + "/" + historyFolder
        guard (try? String(contentsOfFile: history + "/config", encoding: .utf8)) == historyConfig else {
            throw SigitError.notAllowed("\(historyFolder)/config is not what sigit export writes; inspect it (it could make git run a program) before anything reads this package")
        }
        for file in foreignFiles where FileManager.default.fileExists(atPath: history + "/" + file) {
            throw SigitError.notAllowed("\(historyFolder)/\(file) exists: the history would be read from elsewhere; sigit export never writes it")
        }
        let repo: Repository
        let tip: ObjectID
        do {
            repo = try Repository.open(path + "/" + historyFolder)
            guard let main = try repo.resolveReference(branch) else { throw SigitError.badInput("\(historyFolder) has no \(branch)") }
            tip = main
        } catch let error as SigitError {
            throw error
        } catch {
            throw SigitError.badInput("cannot read \(historyFolder) in \(TerminalText.safe(path)): \(Workspace.oneLine(error))")
        }
        let result = try Ledger(repository: repo).run(tip: tip)
        guard let root = result.state.root else { throw SigitError.badInput("\(historyFolder) is not a sigit history (no policy)") }
        var verdict = ExportVerdict(id: id, state: "?", tip: tip.hex, root: root.hex, checked: result.checked, findings: result.findings, problems: [])
        if expectedRoot.lowercased() != root.hex {
            verdict.problems.append("the trust root is \(root.hex), not \(TerminalText.safe(expectedRoot))")
        }
        guard let now = RFC3339.parse(certificate.generated) else {
            throw SigitError.badInput("\(jsonFile): generated is not an RFC 3339 time")
        }
        let rebuilt = try Certificate.build(id: id, result: result, commit: tip, repo: repo, now: now, generator: certificate.generator)
        verdict.state = rebuilt.agreement.state
        var seal: (String, ObjectID)?
        let sealReference = "refs/tags/" + Workspace.sealTag(id)
        if let tag = try repo.resolveReference(sealReference) {
            if let problem = Workspace(repository: repo).sealProblem(sealReference, tag: tag, state: result.state) {
                verdict.problems.append("\(Workspace.sealTag(id)) is not a valid seal: \(problem)")
            }
            seal = (Workspace.sealTag(id), (try? repo.revparse(sealReference + "^{commit}")) ?? tip)
        }
        let expected = try gather(id: id, certificate: rebuilt, result: result, tip: tip, seal: seal, repo: repo)
        let references = try repo.references(matching: "refs/*").keys.sorted()
        if references != expected.references.sorted() {
            verdict.problems.append("\(historyFolder) holds references sigit export does not write: \(references.filter { !expected.references.contains($0) }.map(TerminalText.safe).joined(separator: ", "))")
        }
        for (name, data) in try expected.files() {
            let actual = try? Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
            if actual != data {
                verdict.problems.append(actual == nil ? "\(name) is missing" : "\(name) differs from what the history gives\(name == jsonFile ? differences(certificate, rebuilt) : "")")
            }
        }
        verdict.problems += stampProblems(expected.stamps, in: path, repo: repo)
        return verdict
    }

    /// Checks each time-stamp token the package should carry again with TrustedTime, as the package has it: the file
    /// in `timestamps/` against the certificate in `authorities/` and the commit object of `history.git` it covers;
    /// its genTime must be the one the history counted. A missing file is already named by the byte comparison.
    static func stampProblems(_ stamps: [PackagedStamp], in path: String, repo: Repository) -> [String] {
        var problems: [String] = []
        for stamp in stamps {
            guard let token = try? Data(contentsOf: URL(fileURLWithPath: path + "/" + stamp.file)),
                  let pem = try? String(contentsOfFile: path + "/" + stamp.authorityFile, encoding: .utf8) else { continue }
            do {
                let authority = try CertificateDER.certificate(try CertificateDER.fromPEM(pem))
                let imprint = Data(SHA256.hash(data: try repo.commitObject(stamp.commit)))
                let verified = try TimeStampToken(der: token).verify(imprint: imprint, trustedRoots: [authority])
                if verified.genTime != stamp.stamp.genTime {
                    problems.append("\(stamp.file) says \(RFC3339.format(verified.genTime)), not the trusted time the history counted (\(RFC3339.format(stamp.stamp.genTime)))")
                }
            } catch let error as TrustedTimeError {
                problems.append("\(stamp.file) does not verify against \(stamp.authorityFile) and commit \(stamp.commit.hex): \(error)")
            } catch {
                problems.append("\(stamp.file) cannot be checked against \(stamp.authorityFile): \(Workspace.oneLine(error))")
            }
        }
        return problems
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
