import Foundation

/// Everything `sigit templates` tells about one template: its description, the roles it routes to, the values
/// `sigit new` needs, and its steps, from `agreement.yml` and the optional `template.yml`.
public struct TemplateDescription: Sendable, Codable, Equatable {
    /// A role the template names, with what it does there.
    public struct Role: Sendable, Codable, Equatable {
        public let name: String
        public let description: String?
    }

    /// A value for `--set`.
    public struct Placeholder: Sendable, Codable, Equatable {
        public let name: String
        public let description: String?
        public let required: Bool
        public let defaultValue: String?

        enum CodingKeys: String, CodingKey {
            case name, description, required
            case defaultValue = "default"
        }
    }

    /// One workflow step; steps run in order, the slots of a step in parallel.
    public struct Step: Sendable, Codable, Equatable {
        public let name: String
        /// Identities, `role:<name>` or `{{placeholder}}` entries.
        public let approvers: [String]
        /// `all` or the number of approvals needed.
        public let require: String
        public let humansOnly: Bool
        public let delegation: Bool
        public let allowAuthor: Bool
        /// What the signature of an approval must show (spec section 7); all false when the step asks nothing.
        public let assurance: Assurance

        enum CodingKeys: String, CodingKey {
            case name, approvers, require, delegation, assurance
            case humansOnly = "humans-only"
            case allowAuthor = "allow-author"
        }
    }

    public let name: String
    /// Where it was found: `repository`, a folder, or `built-in`.
    public let origin: String
    /// `template.yml`'s description, else the first comment line of `agreement.yml`.
    public let summary: String
    public let roles: [Role]
    public let placeholders: [Placeholder]
    public let steps: [Step]
    /// Who is copied on the outcome.
    public let cc: [String]

    /// Describes `template`; the workflow is read from `agreement.yml` rendered with each placeholder as itself.
    public init(_ template: AgreementTemplate) throws {
        let metadata = try template.metadata()
        name = template.name
        origin = template.origin
        summary = metadata.description ?? template.summary
        let defaults = template.defaults
        placeholders = template.placeholders.filter { !TemplateRenderer.builtIns.contains($0) }.map { key in
            Placeholder(name: key, description: metadata.placeholders[key]?.description, required: defaults[key] == nil, defaultValue: defaults[key])
        }
        // Each placeholder renders as a distinct valid name, so a placeholder used as an approver reads back as `{{name}}`.
        var values: [String: String] = [:]
        var back: [String: String] = [:]
        for (index, key) in template.placeholders.enumerated() {
            values[key] = "sigit-placeholder-\(index)"
            back["sigit-placeholder-\(index)"] = "{{\(key)}}"
        }
        let spec = (try? TemplateRenderer.render(template, values: values)).flatMap { $0[AgreementSpec.fileName] }
            .flatMap { try? AgreementSpec(yaml: $0, file: AgreementSpec.fileName) }
        func text(_ slot: Slot) -> String {
            if case .identity(let id) = slot, let placeholder = back[id] { return placeholder }
            return slot.description
        }
        steps = spec?.workflow.map { step in
            Step(name: step.name, approvers: step.approvers.map(text), require: step.require.description,
                 humansOnly: step.humansOnly, delegation: step.delegation, allowAuthor: step.allowAuthor, assurance: step.assurance)
        } ?? []
        cc = spec?.cc.map(text) ?? []
        var named: [String] = []
        for slot in (spec.map { $0.workflow.flatMap(\.approvers) + $0.cc + ($0.escalation?.to ?? []) } ?? []) {
            if case .role(let role) = slot, !named.contains(role) { named.append(role) }
        }
        named += metadata.roles.keys.sorted().filter { !named.contains($0) }
        roles = named.map { Role(name: $0, description: metadata.roles[$0]) }
    }
}
