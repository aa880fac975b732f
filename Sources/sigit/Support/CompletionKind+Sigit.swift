import ArgumentParser
import Foundation
import SigitCore

/// Shell completion of the names sigit reads from the repository (`-C PATH` on the command line is honoured).
extension CompletionKind {
    /// Agreement ids at HEAD.
    static let agreements = CompletionKind.custom { words, _, prefix in candidates(.agreements, words, prefix) }
    /// Identity names of the policy at HEAD.
    static let identities = CompletionKind.custom { words, _, prefix in candidates(.identities, words, prefix) }
    /// Template names.
    static let templates = CompletionKind.custom { words, _, prefix in candidates(.templates, words, prefix) }

    static func candidates(_ kind: CompletionCandidates.Kind, _ words: [String], _ prefix: String) -> [String] {
        var path = FileManager.default.currentDirectoryPath
        if let index = words.firstIndex(of: "-C"), index + 1 < words.count { path = (path as NSString).appendingPathComponent(words[index + 1]) }
        return CompletionCandidates.list(kind, prefix: prefix, path: path)
    }
}
