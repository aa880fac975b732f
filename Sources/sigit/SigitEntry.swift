import ArgumentParser
import Foundation
import GitKit
import SigitCore

/// Runs the command and maps outcomes to the exit codes of the CLI contract: 0, 1 (a check failed), 2 (could not work).
enum SigitEntry {
    /// Parses, runs, and exits.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = VerbCheck.problem(arguments) {
            FileHandle.standardError.write(Data(("sigit: " + problem + "\n").utf8))
            exit(ExitCode.validationFailure.rawValue)
        }
        var command: ParsableCommand
        do {
            command = try SigitCommand.parseAsRoot(arguments)
        } catch {
            exitShowingGlobals(error)
        }
        do {
            try command.run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let error as CleanExit {
            exitShowingGlobals(error)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // Help requested from a subcommand, validation errors: ArgumentParser renders them.
            exitShowingGlobals(error)
        } catch {
            FileHandle.standardError.write(Data(("sigit: " + TerminalText.safe(message(for: error)) + "\n").utf8))
            exit(2)
        }
    }

    /// Help, version and usage errors: ArgumentParser's own messages and codes (0 or 64); the help of a verb also
    /// lists the global options.
    static func exitShowingGlobals(_ error: Error) -> Never {
        let text = SigitCommand.fullMessage(for: error)
        guard SigitCommand.exitCode(for: error) == .success, text.contains("USAGE: sigit "), !text.contains("-C <PATH>") else {
            SigitCommand.exit(withError: error)
        }
        print(text.trimmingCharacters(in: .newlines) + "\n\n" + VerbCheck.globalOptionsHelp)
        exit(0)
    }

    /// One line for any error.
    static func message(for error: Error) -> String {
        switch error {
        case let error as SigitError: return error.description
        case let error as GitError: return "git: \(error.description)"
        case let error as SchemaError: return error.description
        case let error as ValidationError: return error.message
        default: return String(describing: error)
        }
    }
}
