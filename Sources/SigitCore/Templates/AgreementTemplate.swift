import Foundation

/// A template: the files of an agreement folder with `{{placeholders}}`, and where it was found.
public struct AgreementTemplate: Sendable {
    /// The template name (its folder name).
    public let name: String
    /// Where it came from: `repository`, a folder path, or `built-in`.
    public let origin: String
    /// Files by path relative to the template folder.
    public let files: [String: Data]

    /// A template from its parts.
    public init(name: String, origin: String, files: [String: Data]) {
        self.name = name
        self.origin = origin
        self.files = files
    }

    /// The files that make the agreement folder (all but `template.yml`).
    public var agreementFiles: [String: Data] { files.filter { $0.key != TemplateMetadata.fileName } }

    /// The parsed `template.yml`, or empty metadata when there is none.
    public func metadata() throws -> TemplateMetadata {
        guard let data = files[TemplateMetadata.fileName] else { return TemplateMetadata() }
        do {
            return try TemplateMetadata(yaml: data, file: TemplateMetadata.fileName)
        } catch let error as SchemaError {
            throw SigitError.badInput("template \(name): \(error)")
        }
    }

    /// The values `--set` may leave out: placeholder name → default, from `template.yml`.
    public var defaults: [String: String] {
        ((try? metadata())?.placeholders ?? [:]).compactMapValues(\.defaultValue)
    }

    /// The first comment line of `agreement.yml`, as a one-line description.
    public var summary: String {
        guard let yaml = files[AgreementSpec.fileName] else { return "" }
        let first = String(decoding: yaml, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("#") }
        return first.map { $0.dropFirst().trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// The placeholder names the files use, sorted.
    public var placeholders: [String] {
        var names = Set<String>()
        for data in agreementFiles.values {
            let text = String(decoding: data, as: UTF8.self)
            var rest = text[...]
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                guard let close = rest.range(of: "}}") else { break }
                let inner = rest[..<close.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: "{}& ").union(.whitespaces))
                if !inner.isEmpty, inner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) { names.insert(inner) }
                rest = rest[close.upperBound...]
            }
        }
        return names.sorted()
    }
}
