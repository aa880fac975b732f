import Foundation

/// How the signing page shows one document: Markdown rendered safely, a PDF inline, other UTF-8 text escaped in a
/// `<pre>`, anything else offered for download.
enum DocumentKind: Equatable {
    case markdown(String)
    case pdf
    case text(String)
    case binary

    /// The kind of the document at `path` with bytes `data`: by extension, and text only when it is UTF-8 without NUL.
    init(path: String, data: Data) {
        let lower = path.lowercased()
        if lower.hasSuffix(".pdf") {
            self = .pdf
            return
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            self = .binary
            return
        }
        self = lower.hasSuffix(".md") || lower.hasSuffix(".markdown") ? .markdown(text) : .text(text)
    }

    /// The `Content-Type` the document route answers with.
    var contentType: String {
        self == .pdf ? "application/pdf" : "application/octet-stream"
    }
}
