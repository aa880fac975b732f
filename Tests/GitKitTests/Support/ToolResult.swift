import Foundation

/// The outcome of running a stock command-line tool (git, ssh-keygen).
struct ToolResult {
    /// The exit status.
    let status: Int32
    /// Everything written to standard output.
    let stdout: Data
    /// Everything written to standard error, as text.
    let stderr: String

    /// Standard output as text (invalid UTF-8 becomes U+FFFD).
    var text: String { String(decoding: stdout, as: UTF8.self) }

    /// Standard output without its final newline, for one-line answers such as `git rev-parse`.
    var line: String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
