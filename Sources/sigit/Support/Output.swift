import Foundation
import SigitCore

/// Printing helpers shared by the verbs: JSON with a stable key order, and short ids.
enum Output {
    /// Prints `value` as pretty JSON with sorted keys.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// A 12-character commit id.
    /// Keeps `value` alive until the process exits. Status and inbox call it on the derived state once they are done
    /// with it: the process ends right after, and freeing thousands of agreements object by object costs more than
    /// anything else left (docs/PERFORMANCE.md).
    static func keepUntilExit(_ value: some Any) {
        _ = Unmanaged.passRetained(value as AnyObject)
    }

    static func short(_ hex: String) -> String { String(hex.prefix(12)) }

    /// Untrusted text made safe for the terminal.
    static func safe(_ text: String) -> String { TerminalText.safe(text) }

    /// `--now`: an RFC 3339 time, or the current time when nil.
    static func time(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        guard let date = RFC3339.parse(text) else { throw SigitError.badInput("--now \(TerminalText.safe(text)) is not an RFC 3339 time like 2026-01-01T00:00:00Z") }
        return date
    }
}
