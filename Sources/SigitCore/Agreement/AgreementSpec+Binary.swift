import Foundation

// Binary form for the state snapshot (StateStore): the parsed agreement.yml, so a loaded state parses no YAML. The
// workflow and the document list are shared values: agreements made from one template store and load them once.
extension AgreementSpec {
    func write(to w: inout BinaryWriter) {
        w.string(title)
        w.shared(documents) { w, documents in w.array(documents) { $0.string($1) } }
        w.shared(workflow) { w, workflow in w.array(workflow) { Self.write($1, to: &$0) } }
        Self.write(cc, to: &w)
        w.optional(reminders) { w, reminders in
            w.string(reminders.first.text)
            w.optional(reminders.every) { $0.string($1.text) }
            w.int(reminders.max)
        }
        w.optional(escalation) { w, escalation in
            w.string(escalation.after.text)
            Self.write(escalation.to, to: &w)
        }
        w.optional(expires) { $0.string($1.text) }
        w.optional(expireWarn) { $0.string($1.text) }
    }

    init(reading r: inout BinaryReader) throws {
        title = try r.string()
        documents = try r.shared { try $0.array { try $0.string() } }
        workflow = try r.shared { try $0.array(Self.step) }
        cc = try Self.slots(&r)
        reminders = try r.optional { r in
            Reminders(first: try Self.duration(&r), every: try r.optional(Self.duration), max: try r.int())
        }
        escalation = try r.optional { r in Escalation(after: try Self.duration(&r), to: try Self.slots(&r)) }
        expires = try r.optional(Self.duration)
        expireWarn = try r.optional(Self.duration)
    }

    private static func write(_ step: Step, to w: inout BinaryWriter) {
        w.string(step.name)
        write(step.approvers, to: &w)
        switch step.require {
        case .all: w.int(-1)
        case .count(let n): w.int(n)
        }
        w.bool(step.humansOnly)
        w.bool(step.delegation)
        w.bool(step.allowAuthor)
        w.bool(step.assurance.hardware)
        w.bool(step.assurance.userPresence)
        w.bool(step.assurance.userVerification)
    }

    private static func step(_ r: inout BinaryReader) throws -> Step {
        let name = try r.string()
        let approvers = try slots(&r)
        let n = try r.int()
        return Step(name: name, approvers: approvers, require: n < 0 ? .all : .count(n), humansOnly: try r.bool(), delegation: try r.bool(),
                    allowAuthor: try r.bool(), assurance: Assurance(hardware: try r.bool(), userPresence: try r.bool(), userVerification: try r.bool()))
    }

    private static func write(_ slots: [Slot], to w: inout BinaryWriter) {
        w.array(slots) { $0.string($1.description) }
    }

    private static func slots(_ r: inout BinaryReader) throws -> [Slot] {
        try r.array { r in
            guard let slot = Slot(try r.string()) else { throw BinaryReader.Malformed() }
            return slot
        }
    }

    private static func duration(_ r: inout BinaryReader) throws -> WorkflowDuration {
        guard let duration = WorkflowDuration(try r.string()) else { throw BinaryReader.Malformed() }
        return duration
    }
}
