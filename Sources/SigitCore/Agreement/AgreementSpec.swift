import Foundation
import Yams

/// The parsed `agreements/<id>/agreement.yml`: metadata and workflow (spec section 4).
public struct AgreementSpec: Sendable, Equatable {
    /// Reminder schedule.
    public struct Reminders: Sendable, Equatable {
        public var first: WorkflowDuration
        public var every: WorkflowDuration?
        public var max: Int
    }
    /// Escalation after a delay.
    public struct Escalation: Sendable, Equatable {
        public var after: WorkflowDuration
        public var to: [Slot]
    }

    /// Title shown everywhere.
    public var title: String
    /// Files a reader should look at.
    public var documents: [String]
    /// Steps in order.
    public var workflow: [Step]
    /// Told on completion.
    public var cc: [Slot]
    /// Reminder schedule, if any.
    public var reminders: Reminders?
    /// Escalation, if any.
    public var escalation: Escalation?
    /// Deadline measured from send.
    public var expires: WorkflowDuration?
    /// Warning lead time before the deadline.
    public var expireWarn: WorkflowDuration?

    /// File name of the metadata inside the agreement folder.
    public static let fileName = "agreement.yml"

    /// Parses and checks the schema; `file` names the file in errors.
    public init(yaml data: Data, file: String) throws {
        let doc = try YAMLDocument(data, file: file)
        var title: String?
        var documents: [String] = []
        var workflow: [Step]?
        var cc: [Slot] = []
        var reminders: Reminders?
        var escalation: Escalation?
        var expires: WorkflowDuration?
        var expireWarn: WorkflowDuration?
        let keys: Set<String> = ["title", "documents", "workflow", "cc", "reminders", "escalation", "expires", "expire-warn"]
        for (key, _, value) in try doc.mapping(doc.root, allowed: keys, what: "the agreement") {
            switch key {
            case "title":
                let text = try doc.string(value, what: "title")
                guard !text.isEmpty, text.count <= 200, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                    throw doc.error(value, "title must be one line of at most 200 characters")
                }
                title = text
            case "documents":
                documents = try doc.sequence(value, what: "documents").map { node in
                    let path = try doc.string(node, what: "a document")
                    guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
                        throw doc.error(node, "document path \(Name.quoted(path)) must be relative and stay inside the agreement folder")
                    }
                    guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                        throw doc.error(node, "document path \(Name.quoted(path)) contains a control character (a newline, a NUL byte)")
                    }
                    return path
                }
            case "workflow":
                workflow = try doc.sequence(value, what: "workflow").map { try Self.step($0, doc) }
            case "cc":
                cc = try Self.slots(value, doc, "cc")
            case "reminders":
                var first: WorkflowDuration?
                var every: WorkflowDuration?
                var max = 3
                for (k, _, v) in try doc.mapping(value, allowed: ["first", "every", "max"], what: "reminders") {
                    switch k {
                    case "first": first = try Self.duration(v, doc, "reminders.first")
                    case "every": every = try Self.duration(v, doc, "reminders.every")
                    default: max = try doc.int(v, what: "reminders.max")
                    }
                }
                guard let first else { throw doc.error(value, "reminders needs first") }
                reminders = Reminders(first: first, every: every, max: max)
            case "escalation":
                var after: WorkflowDuration?
                var to: [Slot] = []
                for (k, _, v) in try doc.mapping(value, allowed: ["after", "to"], what: "escalation") {
                    if k == "after" { after = try Self.duration(v, doc, "escalation.after") } else { to = try Self.slots(v, doc, "escalation.to") }
                }
                guard let after, !to.isEmpty else { throw doc.error(value, "escalation needs after and to") }
                escalation = Escalation(after: after, to: to)
            case "expires": expires = try Self.duration(value, doc, "expires")
            default: expireWarn = try Self.duration(value, doc, "expire-warn")
            }
        }
        guard let title else { throw doc.error(doc.root, "the agreement has no title") }
        guard let workflow, !workflow.isEmpty else { throw doc.error(doc.root, "the agreement has no workflow steps") }
        var names = Set<String>()
        for step in workflow where !names.insert(step.name).inserted {
            throw doc.error(doc.root, "step \(step.name) appears twice")
        }
        self.title = title
        self.documents = documents
        self.workflow = workflow
        self.cc = cc
        self.reminders = reminders
        self.escalation = escalation
        self.expires = expires
        self.expireWarn = expireWarn
    }

    private static func step(_ node: Node, _ doc: YAMLDocument) throws -> Step {
        var name: String?
        var approvers: [Slot] = []
        var require = Step.Requirement.all
        var humansOnly = true
        var delegation = false
        var allowAuthor = false
        var assurance = Assurance.none
        for (key, _, value) in try doc.mapping(node, allowed: ["step", "approvers", "require", "humans-only", "delegation", "allow-author", "assurance"], what: "a workflow step") {
            switch key {
            case "step": name = try doc.name(value, what: "step name")
            case "approvers": approvers = try slots(value, doc, "approvers")
            case "require":
                let text = try doc.string(value, what: "require")
                if text == "all" { require = .all } else if let n = Int(text), n >= 1 { require = .count(n) } else {
                    throw doc.error(value, "require must be all or a number of at least 1")
                }
            case "humans-only": humansOnly = try doc.bool(value, what: "humans-only")
            case "delegation": delegation = try doc.bool(value, what: "delegation")
            case "assurance": assurance = try Self.assurance(value, doc)
            default: allowAuthor = try doc.bool(value, what: "allow-author")
            }
        }
        guard let name else { throw doc.error(node, "a workflow step has no step name") }
        guard !approvers.isEmpty else { throw doc.error(node, "step \(name) has no approvers") }
        if Set(approvers).count != approvers.count { throw doc.error(node, "step \(name) lists the same approver twice") }
        if case .count(let n) = require, n > approvers.count {
            throw doc.error(node, "step \(name) requires \(n) approvals but has \(approvers.count) slots")
        }
        return Step(name: name, approvers: approvers, require: require, humansOnly: humansOnly, delegation: delegation, allowAuthor: allowAuthor, assurance: assurance)
    }

    /// A step's `assurance:` mapping: `hardware`, `user-presence`, `user-verification`, each a boolean (default false).
    private static func assurance(_ node: Node, _ doc: YAMLDocument) throws -> Assurance {
        var assurance = Assurance.none
        for (key, _, value) in try doc.mapping(node, allowed: ["hardware", "user-presence", "user-verification"], what: "assurance") {
            switch key {
            case "hardware": assurance.hardware = try doc.bool(value, what: "assurance.hardware")
            case "user-presence": assurance.userPresence = try doc.bool(value, what: "assurance.user-presence")
            default: assurance.userVerification = try doc.bool(value, what: "assurance.user-verification")
            }
        }
        return assurance
    }

    private static func slots(_ node: Node, _ doc: YAMLDocument, _ what: String) throws -> [Slot] {
        try doc.sequence(node, what: what).map { item in
            let text = try doc.string(item, what: "an entry of \(what)")
            guard let slot = Slot(text) else { throw doc.error(item, "invalid entry \(Name.quoted(text)) in \(what): an identity name or role:<name>") }
            return slot
        }
    }

    private static func duration(_ node: Node, _ doc: YAMLDocument, _ what: String) throws -> WorkflowDuration {
        let text = try doc.string(node, what: what)
        guard let value = WorkflowDuration(text) else { throw doc.error(node, "\(what) must be a duration like 2d, 12h or 30m") }
        return value
    }

    /// The identities and roles the agreement names that `policy` lacks, each once, in the order they appear.
    public func unknownSlots(in policy: Policy) -> [Slot] {
        var seen = Set<Slot>()
        return (workflow.flatMap(\.approvers) + cc + (escalation?.to ?? [])).filter { slot in
            switch slot {
            case .identity(let name): guard policy.identities[name] == nil else { return false }
            case .role(let role): guard policy.roles[role] == nil else { return false }
            }
            return seen.insert(slot).inserted
        }
    }

    /// Checks every identity and role the agreement names exists in `policy`; returns the first problem.
    public func problems(with policy: Policy, file: String) -> SchemaError? {
        let all = workflow.flatMap(\.approvers) + cc + (escalation?.to ?? [])
        for slot in all {
            switch slot {
            case .identity(let name) where policy.identities[name] == nil:
                return SchemaError(file: file, line: nil, reason: "names unknown identity \(name)")
            case .role(let role) where policy.roles[role] == nil:
                return SchemaError(file: file, line: nil, reason: "names unknown role \(role)")
            default: continue
            }
        }
        return nil
    }
}
