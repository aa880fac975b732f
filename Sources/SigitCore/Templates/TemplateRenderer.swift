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

    /// The placeholders `values` lacks and the `values` no placeholder uses (built-ins aside), each sorted.
    /// A placeholder with a default in `template.yml` is never missing.
    public static func check(_ template: AgreementTemplate, values: [String: String]) -> (missing: [String], unknown: [String]) {
        let needed = Set(template.placeholders)
        let given = Set(values.keys).union(template.defaults.keys)
        return (needed.subtracting(given).sorted(), Set(values.keys).subtracting(needed).subtracting(builtIns).sorted())
    }

    /// One line naming every missing value, unknown value and identity or role the policy lacks.
    public static func describe(_ template: AgreementTemplate, missing: [String], unknown: [String], absent: [Slot]) -> String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("needs " + missing.map { "--set \($0)=..." }.joined(separator: " ")) }
        if !unknown.isEmpty {
            let uses = template.placeholders.filter { !builtIns.contains($0) }
            parts.append("has no placeholder \(unknown.map(Name.quoted).joined(separator: ", ")) (it uses \(uses.joined(separator: ", ")))")
        }
        let roles = absent.compactMap { if case .role(let r) = $0 { return r } else { return nil } }
        let people = absent.compactMap { if case .identity(let i) = $0 { return i } else { return nil } }
        if !roles.isEmpty { parts.append("names role\(roles.count > 1 ? "s" : "") \(roles.joined(separator: ", ")) that the policy lacks (sigit role add)") }
        if !people.isEmpty { parts.append("names identit\(people.count > 1 ? "ies" : "y") \(people.joined(separator: ", ")) that the policy lacks (sigit identity add)") }
        return "template \(template.name) " + parts.joined(separator: "; ") + "; nothing was written"
    }

    /// Renders every file of `template` with `values`; every placeholder must have a value and every value a placeholder.
    public static func render(_ template: AgreementTemplate, values given: [String: String]) throws -> [String: Data] {
        _ = registered
        _ = try template.metadata()
        let values = template.defaults.merging(given) { _, set in set }
        for (key, value) in values {
            guard value.count <= 500, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw SigitError.badInput("value of \(key) must be one line of at most 500 characters without control characters")
            }
        }
        let (missing, unknown) = check(template, values: values)
        guard missing.isEmpty, unknown.isEmpty else {
            throw SigitError.badInput(describe(template, missing: missing, unknown: unknown, absent: []))
        }
        var out: [String: Data] = [:]
        for (path, data) in template.agreementFiles {
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
