import ArgumentParser
import Foundation
import SigitCore

/// The verbs of a command line, checked before ArgumentParser parses it: a mistyped verb gets "did you mean", and
/// `sigit help VERB` with an unknown verb is an error (ArgumentParser would print the root's help instead).
enum VerbCheck {
    /// The global options that take a value (`-C PATH`, `--key PATH`).
    static let globalsWithValue: Set<String> = ["-C", "--key"]

    /// One line naming the unknown verb (with the closest known one), or nil when every verb named is known.
    static func problem(_ arguments: [String]) -> String? {
        var words = arguments[...]
        // Global options before the verb.
        while let first = words.first, first.hasPrefix("-") {
            guard globalsWithValue.contains(first) || first.hasPrefix("--key=") || (first.hasPrefix("-C") && !first.hasPrefix("--")) else { return nil }
            words = words.dropFirst(globalsWithValue.contains(first) ? 2 : 1)
        }
        if words.first == "help" { words = words.dropFirst() }
        var command: ParsableCommand.Type = SigitCommand.self
        var path: [String] = []
        for word in words {
            let configuration = command.configuration
            guard !configuration.subcommands.isEmpty, configuration.defaultSubcommand == nil, !word.hasPrefix("-"), word != "help" else { return nil }
            var known: [String] = []
            var next: ParsableCommand.Type?
            for subcommand in configuration.subcommands {
                let names = names(subcommand)
                known += names
                if next == nil, names.contains(word) { next = subcommand }
            }
            guard let next else {
                let shown = (path + [word]).joined(separator: " ")
                if let close = Suggestion.closest(to: word, among: known) {
                    return "unknown command '\(TerminalText.safe(shown))'; did you mean '\((path + [close]).joined(separator: " "))'?"
                }
                return "unknown command '\(TerminalText.safe(shown))'; sigit \((path + ["--help"]).joined(separator: " ")) lists the commands"
            }
            path.append(next.configuration.commandName ?? word)
            command = next
        }
        return nil
    }

    /// The names a command answers to.
    static func names(_ command: ParsableCommand.Type) -> [String] {
        [command.configuration.commandName].compactMap { $0 } + command.configuration.aliases
    }

    /// The root's `-C` and `--key` entries from its help, for the help of every verb: ArgumentParser shows a parent's
    /// options only in the parent's help, but they work after any verb.
    static var globalOptionsHelp: String {
        let lines = SigitCommand.helpMessage(includeHidden: false, columns: 100).split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("OPTIONS:") }) else { return "" }
        var entries: [String] = []
        var keep = false
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            if line.hasPrefix("  -") { keep = line.hasPrefix("  -C ") || line.hasPrefix("  --key ") }
            if keep { entries.append(String(line)) }
        }
        return "GLOBAL OPTIONS:\n" + entries.joined(separator: "\n")
    }
}
