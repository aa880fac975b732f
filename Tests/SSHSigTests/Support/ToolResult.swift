import Foundation

/// The outcome of running an external tool.
struct ToolResult {
    /// The exit status.
    let status: Int32
    /// Everything written to standard output.
    let stdout: Data
    /// Everything written to standard error, as text.
    let stderr: String

    /// Standard output as text.
    var text: String { String(decoding: stdout, as: UTF8.self) }
}
