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

        let path = Self.folderPath(path)
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed {
            guard isDirectory.boolValue, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else {
                throw SigitError.badInput("\(TerminalText.safe(path)) exists and is not an empty folder; choose a new one (nothing was written)")
            }
        } else {
            guard mkdir(path, 0o777) == 0 else {
                throw SigitError.badInput("cannot create the folder \(TerminalText.safe(path)): \(String(cString: strerror(errno)))")
            }
        }
        do {
            try repo.exportBare(to: path + "/" + EvidencePackage.historyFolder, tips: [tip], objects: objects,
                                references: references, head: EvidencePackage.branch)
            // A fixed config, so an auditor can check byte for byte that git will run nothing the package brings.
            try Self.writeFile(Data(EvidencePackage.historyConfig.utf8), to: path + "/" + EvidencePackage.historyFolder + "/config")
            for folder in Set(files.compactMap { name, _ in name.firstIndex(of: "/").map { String(name[..<$0]) } }).sorted() {
                guard mkdir(path + "/" + folder, 0o777) == 0 else {
                    throw SigitError.badInput("cannot create the folder \(TerminalText.safe(path + "/" + folder)): \(String(cString: strerror(errno)))")
                }
            }
            for (name, data) in files { try Self.writeFile(data, to: path + "/" + name) }
        } catch {
            if existed {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { try? FileManager.default.removeItem(atPath: path + "/" + name) }
            } else {
                try? FileManager.default.removeItem(atPath: path)
            }
            if let error = error as? SigitError { throw error }
            throw SigitError.repository("cannot write the evidence package to \(TerminalText.safe(path)) (nothing was left there): \(Self.oneLine(error))")
        }
        return package
    }

    /// `path` without trailing slashes (`evidence/` names the folder `evidence`; `/` stays `/`).
    static func folderPath(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// A file system or git error as one line: the reason POSIX gave when there is one, never a dump of the
    /// error's fields.
    static func oneLine(_ error: Error) -> String {
        let text: String
        switch error {
        case let error as SigitError: text = error.description
        case let error as GitError: text = error.description
        default:
            let nsError = error as NSError
            if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                text = String(cString: strerror(Int32(underlying.code)))
            } else if nsError.domain == NSPOSIXErrorDomain {
                text = String(cString: strerror(Int32(nsError.code)))
            } else if nsError.domain == NSCocoaErrorDomain {
                text = Self.cocoaReasons[nsError.code] ?? "the file system refused (Foundation error \(nsError.code))"
            } else {
                text = nsError.localizedDescription
            }
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Foundation's file error codes without an underlying POSIX error, in words.
    static let cocoaReasons: [Int: String] = [
        CocoaError.fileNoSuchFile.rawValue: "No such file or directory", CocoaError.fileReadNoSuchFile.rawValue: "No such file or directory",
        CocoaError.fileWriteNoPermission.rawValue: "Permission denied", CocoaError.fileReadNoPermission.rawValue: "Permission denied",
        CocoaError.fileWriteFileExists.rawValue: "File exists", CocoaError.fileWriteOutOfSpace.rawValue: "No space left on device",
        CocoaError.fileWriteVolumeReadOnly.rawValue: "Read-only file system", CocoaError.fileWriteInvalidFileName.rawValue: "Invalid file name",
        CocoaError.fileWriteUnknown.rawValue: "the file could not be written", CocoaError.fileReadUnknown.rawValue: "the file could not be read",
    ]
}
