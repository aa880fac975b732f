import Foundation
import Mustache

/// Fills a template's placeholders with swift-mustache, escaping each value for the file it lands in.
public enum TemplateRenderer {
    /// Values sigit provides itself.
    public static let builtIns = ["id", "date", "drafter"]

    /// Escapes a value for the inside of a YAML double-quoted string.
    struct YAMLQuoted: MustacheContentType {
        func escapeText(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }

    /// Escapes Markdown and HTML punctuation so a value reads as plain text.
    struct MarkdownText: MustacheContentType {
        func escapeText(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "&": out += "&amp;"
                case "\\", "`", "*", "_", "[", "]", "|", "#", "!", "{", "}": out += "\\" + String(scalar)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }

    /// Plain text: no escaping (values are already single-line and control-free).
    struct PlainText: MustacheContentType {
        func escapeText(_ text: String) -> String { text }
    }

    private static let registered: Bool = {
        MustacheContentTypes.register(YAMLQuoted(), named: "SIGIT_YAML")
        MustacheContentTypes.register(MarkdownText(), named: "SIGIT_MARKDOWN")
        MustacheContentTypes.register(PlainText(), named: "SIGIT_TEXT")
        return true
    }()

    /// Renders every file of `template` with `values`; every placeholder must have a value and every value a placeholder.
    public static func render(_ template: AgreementTemplate, values: [String: String]) throws -> [String: Data] {
        _ = registered
        for (key, value) in values {
            guard value.count <= 500, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw SigitError.badInput("value of \(key) must be one line of at most 500 characters without control characters")
            }
        }
        let needed = Set(template.placeholders)
        let missing = needed.subtracting(values.keys).sorted()
        guard missing.isEmpty else {
            throw SigitError.badInput("template \(template.name) needs " + missing.map { "--set \($0)=..." }.joined(separator: " "))
        }
        let unknown = Set(values.keys).subtracting(needed).subtracting(builtIns).sorted()
        guard unknown.isEmpty else {
            throw SigitError.badInput("template \(template.name) has no placeholder \(unknown.joined(separator: ", ")); it uses \(needed.sorted().joined(separator: ", "))")
        }
        var out: [String: Data] = [:]
        for (path, data) in template.files {
            guard let text = String(data: data, encoding: .utf8) else {
                out[path] = data
                continue
            }
            let type = path == "agreement.yml" ? "SIGIT_YAML" : (path.hasSuffix(".md") ? "SIGIT_MARKDOWN" : "SIGIT_TEXT")
            do {
                let mustache = try MustacheTemplate(string: "{{% CONTENT_TYPE: \(type)}}" + text)
                out[path] = Data(mustache.render(values).utf8)
            } catch {
                throw SigitError.badInput("template \(template.name) file \(path) is not a valid mustache template: \(error)")
            }
        }
        return out
    }
}
