import Foundation
import GitKit

/// Finds templates: the repository's `.sigit/templates/<name>/` first, then `SIGIT_TEMPLATE_PATH`,
/// then `share/sigit/templates` beside the installed binary, then the templates built into sigit.
public struct TemplateStore {
    /// The folders searched, in order, after the repository.
    public let folders: [String]
    let repo: Repository?
    let tree: ObjectID?

    /// A store over the committed tree `tree` of `repo` and the usual folders.
    public init(repo: Repository?, tree: ObjectID?, environment: [String: String]) {
        self.repo = repo
        self.tree = tree
        var folders: [String] = []
        if let path = environment["SIGIT_TEMPLATE_PATH"] {
            folders += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")).resolvingSymlinksInPath()
        folders.append(executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/sigit/templates").path)
        self.folders = folders
    }

    /// The template called `name`.
    public func template(_ name: String) throws -> AgreementTemplate {
        try Name.check(name, "template name")
        if let found = try fromRepository(name) { return found }
        for folder in folders {
            if let found = try fromFolder(folder + "/" + name, name: name) { return found }
        }
        if let files = BuiltinTemplates.all[name] {
            return AgreementTemplate(name: name, origin: "built-in", files: files.mapValues { Data($0.utf8) })
        }
        throw SigitError.badInput("no template \(Name.quoted(name)); sigit templates lists them")
    }

    /// Every template name visible, each with the one that wins.
    public func all() throws -> [AgreementTemplate] {
        var names = Set(BuiltinTemplates.all.keys)
        if let repo, let tree, let folder = try repo.treeEntry(tree, path: ".sigit/templates"), folder.isTree {
            names.formUnion(try repo.treeEntries(folder.id).filter(\.isTree).map(\.name).filter(Name.isValid))
        }
        for folder in folders {
            let items = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            names.formUnion(items.filter { Name.isValid($0) && FileManager.default.fileExists(atPath: folder + "/" + $0 + "/agreement.yml") })
        }
        return try names.sorted().map(template)
    }

    private func fromRepository(_ name: String) throws -> AgreementTemplate? {
        guard let repo, let tree, let folder = try repo.treeEntry(tree, path: ".sigit/templates/" + name), folder.isTree else { return nil }
        var files: [String: Data] = [:]
        for file in try repo.files(folder.id) where file.mode != 0o120000 && file.mode != 0o160000 {
            files[file.path] = try repo.blob(file.id)
        }
        guard files[AgreementSpec.fileName] != nil else {
            throw SigitError.badInput(".sigit/templates/\(name) has no agreement.yml")
        }
        return AgreementTemplate(name: name, origin: "repository", files: files)
    }

    private func fromFolder(_ path: String, name: String) throws -> AgreementTemplate? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path + "/" + AgreementSpec.fileName) else { return nil }
        var files: [String: Data] = [:]
        guard let walker = manager.enumerator(atPath: path) else { return nil }
        while let item = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            let full = path + "/" + item
            guard manager.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            if let data = manager.contents(atPath: full) { files[item] = data }
        }
        return AgreementTemplate(name: name, origin: path, files: files)
    }
}
