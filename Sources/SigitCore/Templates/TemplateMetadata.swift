import Foundation
import Yams

/// What a template's optional `template.yml` says about it: a description, what each role does there, and each
/// placeholder's meaning and default. Never copied into the agreement.
public struct TemplateMetadata: Sendable, Equatable {
    /// The metadata file's name inside a template folder.
    public static let fileName = "template.yml"

    /// One placeholder: what to put there, and the value used when `--set` leaves it out (then it is optional).
    public struct Placeholder: Sendable, Equatable {
        public var description: String
        public var defaultValue: String?
    }

    /// What the template is for.
    public var description: String?
    /// Role name → what the role does in this template.
    public var roles: [String: String] = [:]
    /// Placeholder name → its meaning and default.
    public var placeholders: [String: Placeholder] = [:]

    /// No metadata.
    public init() {}

    /// Parses `template.yml` strictly: `description`, `roles: {name: text}`, `placeholders: {name: text}` or
    /// `{name: {description: text, default: value}}`.
    public init(yaml data: Data, file: String) throws {
        let doc = try YAMLDocument(data, file: file)
        for (key, _, value) in try doc.mapping(doc.root, allowed: ["description", "roles", "placeholders"], what: "the template metadata") {
            switch key {
            case "description":
                description = try doc.string(value, what: "description")
            case "roles":
                for (role, roleNode, text) in try doc.mapping(value, allowed: nil, what: "roles") {
                    guard Name.isValid(role) else { throw doc.error(roleNode, "invalid role name \(Name.quoted(role))") }
                    roles[role] = try doc.string(text, what: "the description of role \(role)")
                }
            case "placeholders":
                for (name, _, body) in try doc.mapping(value, allowed: nil, what: "placeholders") {
                    if case .mapping = body {
                        var placeholder = Placeholder(description: "", defaultValue: nil)
                        for (field, _, item) in try doc.mapping(body, allowed: ["description", "default"], what: "placeholder \(name)") {
                            if field == "description" { placeholder.description = try doc.string(item, what: "the description of \(name)") }
                            else { placeholder.defaultValue = try doc.string(item, what: "the default of \(name)") }
                        }
                        placeholders[name] = placeholder
                    } else {
                        placeholders[name] = Placeholder(description: try doc.string(body, what: "the description of \(name)"), defaultValue: nil)
                    }
                }
            default: break
            }
        }
    }
}
