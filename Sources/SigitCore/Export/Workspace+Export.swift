import Foundation
import GitKit

extension Workspace {
    /// `sigit export ID -o PATH [--at REV]`: writes the evidence package of agreement `id` (see `EvidencePackage`)
    /// into the new folder `path`. Refuses an existing non-empty folder; on failure removes what it wrote.
    public func export(id: String, to path: String, revision: String? = nil, now: Date = Date(), generator: String) throws -> EvidencePackage {
        try Name.check(id, "agreement id")
        let tip = try resolve(revision)
        let result = try ledger(tip: tip)
        let certificate = try Certificate.build(id: id, result: result, commit: tip, repo: repo, now: now, generator: generator)
        var references = [EvidencePackage.branch: tip]
        var objects: [ObjectID] = []
        var seal: (String, ObjectID)?
        let sealReference = "refs/tags/" + Self.sealTag(id)
        if let tag = try repo.resolveReference(sealReference), let target = try? repo.revparse(sealReference + "^{commit}"),
           try target == tip || repo.isDescendant(tip, of: target) {
            if let problem = sealProblem(sealReference, tag: tag, state: result.state) {
                throw SigitError.notAllowed("\(Self.sealTag(id)) is not a valid seal (\(problem)); investigate it, or delete it (git tag -d) to export without a seal")
            }
            references[sealReference] = tag
            objects.append(tag)
            seal = (Self.sealTag(id), target)
        }
        let package = try EvidencePackage.gather(id: id, certificate: certificate, result: result, tip: tip, seal: seal, repo: repo)
        let files = try package.files()

        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed {
            guard isDirectory.boolValue, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else {
                throw SigitError.badInput("\(TerminalText.safe(path)) exists and is not an empty folder; choose a new one")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch where !existed {
            throw SigitError.badInput("cannot create \(TerminalText.safe(path)): \(error.localizedDescription)")
        }
        do {
            try repo.exportBare(to: path + "/" + EvidencePackage.historyFolder, tips: [tip], objects: objects,
                                references: references, head: EvidencePackage.branch)
            // A fixed config, so an auditor can check byte for byte that git will run nothing the package brings.
            try Self.writeFile(Data(EvidencePackage.historyConfig.utf8), to: path + "/" + EvidencePackage.historyFolder + "/config")
            for (name, data) in files { try Self.writeFile(data, to: path + "/" + name) }
        } catch {
            if existed {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { try? FileManager.default.removeItem(atPath: path + "/" + name) }
            } else {
                try? FileManager.default.removeItem(atPath: path)
            }
            if let error = error as? SigitError { throw error }
            throw SigitError.repository("cannot write the evidence package to \(TerminalText.safe(path)): \(error)")
        }
        return package
    }
}
