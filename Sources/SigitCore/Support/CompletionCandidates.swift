import Foundation
import GitKit

/// Words the shell completion scripts offer: agreement ids, identity names and template names read from the
/// committed tree at HEAD, unverified (completion must be fast; a name offered is still checked when used). Any
/// problem (no repository, no commit, a policy that does not parse) gives no words.
public enum CompletionCandidates {
    /// What to list.
    public enum Kind: Sendable { case agreements, identities, templates }

    /// The words of `kind` starting with `prefix`, for the repository containing `path`, sorted.
    public static func list(_ kind: Kind, prefix: String, path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        guard let repo = try? Repository.open(path) else { return [] }
        let tree = (try? repo.revparse("HEAD")).flatMap { try? repo.commit($0).tree }
        let words: [String]
        switch kind {
        case .agreements:
            guard let tree, let folder = try? repo.treeEntry(tree, path: "agreements"), folder.isTree,
                  let entries = try? repo.treeEntries(folder.id) else { return [] }
            words = entries.filter(\.isTree).map(\.name)
        case .identities:
            guard let tree, let file = try? repo.treeEntry(tree, path: Policy.path), file.isFile,
                  let data = try? repo.blob(file.id), let policy = try? Policy(yaml: data) else { return [] }
            words = Array(policy.identities.keys)
        case .templates:
            words = ((try? TemplateStore(repo: repo, tree: tree, environment: environment).all()) ?? []).map(\.name)
        }
        return words.filter { $0.hasPrefix(prefix) && Name.isValid($0) }.sorted()
    }
}
