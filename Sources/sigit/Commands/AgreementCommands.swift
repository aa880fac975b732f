import ArgumentParser
import SigitCore

/// `sigit new TEMPLATE ID --set KEY=VALUE...`.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Draft a new agreement from a template (needs draft).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Template name (sigit templates).", completion: .templates) var template: String
    @Argument(help: "Agreement id (new).") var id: String
    @Option(name: .customLong("set"), help: ArgumentHelp("A template value.", valueName: "KEY=VALUE")) var values: [String] = []

    func run() throws {
        var map: [String: String] = [:]
        for item in values {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else { throw ValidationError("--set needs KEY=VALUE, got \(item)") }
            let key = String(item[..<eq])
            guard map[key] == nil else { throw ValidationError("--set \(key) given twice") }
            map[key] = String(item[item.index(after: eq)...])
        }
        let written = try root.writer().newAgreement(template: template, id: id, values: map)
        print("drafted agreements/\(id) from \(template) in \(Output.short(written.commit.hex)); review it, then sigit send \(id)")
    }
}

/// `sigit draft ID`: commit a revision from the working tree.
struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "draft", abstract: "Commit your edits of agreements/<id>/ as a signed revision (approvals become stale).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(name: .shortAndLong, help: "What changed.") var message: String?

    func run() throws {
        let written = try root.writer().revise(id: id, message: message)
        print("revised \(id) in \(Output.short(written.commit.hex)); it is a draft again: sigit send \(id)")
    }
}

/// `sigit send ID`.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a draft to its recipients (needs draft).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String

    func run() throws {
        let written = try root.writer().send(id: id)
        let digest = written.state.agreements[id]?.digest ?? ""
        print("sent \(id) at \(digest) in \(Output.short(written.commit.hex))")
    }
}

/// `sigit approve ID [--step STEP] [-m TEXT]`.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve the current step of an agreement with your key.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(name: .shortAndLong, help: "A comment, kept in the commit body.") var message: String?
    @Option(help: ArgumentHelp("Refuse unless the content still has this digest (the one you reviewed).", valueName: "sha256:HEX")) var digest: String?

    func run() throws {
        let written = try root.writer().respond(id: id, approve: true, step: step, text: message, expected: digest)
        let state = written.state.agreements[id].map { $0.phase.rawValue } ?? "?"
        print("approved \(id) as \(written.identity) in \(Output.short(written.commit.hex)); agreement is \(state)")
    }
}

/// `sigit decline ID --reason TEXT`.
struct DeclineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline the current step; ends the round.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(help: "Why (required), kept in the commit body.") var reason: String
    @Option(help: ArgumentHelp("Refuse unless the content still has this digest (the one you reviewed).", valueName: "sha256:HEX")) var digest: String?

    func run() throws {
        let written = try root.writer().respond(id: id, approve: false, step: step, text: reason, expected: digest)
        print("declined \(id) as \(written.identity) in \(Output.short(written.commit.hex))")
    }
}

/// `sigit void ID --reason TEXT`.
struct VoidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "void", abstract: "Void an agreement (needs void, or being its sender); no further change counts.")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "Why (required), kept in the commit body.") var reason: String

    func run() throws {
        let written = try root.writer().void(id: id, reason: reason)
        print("voided \(id) as \(written.identity) in \(Output.short(written.commit.hex))")
    }
}

/// `sigit delegate ID --to NAME [--step STEP]`.
struct DelegateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delegate", abstract: "Hand your part of a step to another identity for this round (where the step allows delegation).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String
    @Option(help: "The identity that acts for you.", completion: .identities) var to: String
    @Option(help: "The step (default: the current one).") var step: String?
    @Option(name: .shortAndLong, help: "Why, kept in the commit body.") var message: String?

    func run() throws {
        let written = try root.writer().delegate(id: id, to: to, step: step, text: message)
        print("delegated your part of \(id) to \(to) as \(written.identity) in \(Output.short(written.commit.hex)); \(to) approves with sigit approve \(id)")
    }
}

/// `sigit seal ID`: an SSH-signed tag on the completing commit.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seal", abstract: "Tag a completed agreement with an SSH-signed annotated tag sigit/<id>/completed (git tag -v verifies it).")
    @ParentCommand var root: SigitCommand
    @Argument(help: "Agreement id.", completion: .agreements) var id: String

    func run() throws {
        let sealed = try root.workspace().seal(id: id)
        print("sealed \(id): tag \(Workspace.sealTag(id)) (\(Output.short(sealed.tag.hex))) on \(Output.short(sealed.target.hex)); check it with git tag -v \(Workspace.sealTag(id))")
    }
}
