import Foundation

/// The outcome of running a tool (git, ssh-keygen, python3, sigit).
public struct ToolResult: Sendable {
    /// The exit status; 128 + the signal when a signal ended it.
    public let status: Int32
    /// Everything written to standard output.
    public let stdout: Data
    /// Everything written to standard error, as text.
    public let stderr: String
    /// Whether the tool was killed for running past its time limit.
    public let timedOut: Bool

    public init(status: Int32, stdout: Data, stderr: String, timedOut: Bool = false) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }

    /// Standard output as text (invalid UTF-8 becomes U+FFFD).
    public var text: String { String(decoding: stdout, as: UTF8.self) }

    /// Standard output without its final newline, for one-line answers such as `git rev-parse`.
    public var line: String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
