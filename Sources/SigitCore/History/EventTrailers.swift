import Foundation
import GitKit

/// The `Sigit-*` trailers of a commit message, checked for shape (spec section 2).
public struct EventTrailers: Sendable, Equatable {
    /// `Sigit-Version`.
    public var version: String?
    /// `Sigit-Action`.
    public var action: Action?
    /// `Sigit-Agreement`.
    public var agreement: String?
    /// `Sigit-Identity`.
    public var identity: String?
    /// `Sigit-Digest`.
    public var digest: String?
    /// `Sigit-Step`.
    public var step: String?
    /// `Sigit-On-Behalf-Of`.
    public var onBehalfOf: String?
    /// `Sigit-Delegate`.
    public var delegate: String?
    /// `Sigit-Policy-Digest`.
    public var policyDigest: String?
    /// `Sigit-Recipient`.
    public var recipient: String?
    /// `Sigit-Notice`.
    public var notice: String?
    /// `Sigit-Channel`.
    public var channel: String?
    /// The notices a `notify` event records, one per trailer group, in message order (a single-notice event has one:
    /// the fields above); empty for every other action.
    public var notices: [NoticeGroup] = []
    /// `Sigit-File`: the file a comment is about, relative to the agreement's folder.
    public var file: String?
    /// `Sigit-Line`: the line of `file` a comment is about (1-based).
    public var line: String?
    /// `Sigit-Reply-To`: the event id of the thread's first comment, on a reply.
    public var replyTo: String?
    /// `Sigit-Resolve`: the event id of the thread's first comment, on a comment that resolves the thread.
    public var resolve: String?
    /// `Sigit-Invitee`: the identity an `invite` event invites (spec section 9).
    public var invitee: String?
    /// `Sigit-Invitation-Proof`: an `enroll` event's proof that it knows the invitation's secret (spec section 9; the
    /// secret itself is never written).
    public var invitationProof: String?

    /// Empty trailers.
    public init() {}

    /// The trailer keys sigit knows, in the order it writes them.
    public static let keys = ["Sigit-Version", "Sigit-Action", "Sigit-Agreement", "Sigit-Identity", "Sigit-Digest", "Sigit-Step",
                              "Sigit-On-Behalf-Of", "Sigit-Delegate", "Sigit-Policy-Digest", "Sigit-Recipient", "Sigit-Notice", "Sigit-Channel",
                              "Sigit-File", "Sigit-Line", "Sigit-Reply-To", "Sigit-Resolve", "Sigit-Invitee", "Sigit-Invitation-Proof"]

    /// `keys` by their lowercased form (trailer keys are case-insensitive).
    static let lowercasedKeys = Dictionary(uniqueKeysWithValues: keys.map { ($0.lowercased(), $0) })

    /// Reads the `Sigit-*` trailers of a whole commit message exactly as git reads them; nil when there are none.
    ///
    /// Throws when the message is one git and libgit2 could read differently (a scissors line, a `---` line, a
    /// continued `Sigit-*` trailer, a `Sigit-` line outside the trailer block; see `read(message:)`) or when the
    /// trailers are malformed, a repeated `Sigit-*` trailer included (only a notify event's notice groups repeat:
    /// `parseBatch`).
    public static func parse(message: String) throws -> EventTrailers? {
        guard let trailers = try read(message: message) else { return nil }
        return try parse(trailers)
    }

    /// `parse(message:)` for a commit whose `encoding` header is `encoding` (nil: none). `git log` re-encodes a
    /// message from any encoding but UTF-8 before it reads the trailers (a UTF-7 message can show a decline to
    /// git and an approval to sigit), so any other encoding is refused, whatever the message holds.
    public static func parse(message: String, encoding: String?) throws -> EventTrailers? {
        if let encoding, !["utf-8", "utf8"].contains(encoding.lowercased()) {
            throw TrailerProblem("the commit names encoding \(Name.quoted(encoding)); git log re-encodes its message, so git and sigit could read different trailers")
        }
        return try parse(message: message)
    }

    /// Reads the `Sigit-*` trailers; nil when there are none. Throws a plain reason when they are malformed.
    public static func parse(_ trailers: [Trailer]) throws -> EventTrailers? {
        if let batch = try parseBatch(trailers) { return batch }
        var result = EventTrailers()
        var seen = Set<String>()
        var any = false
        for trailer in trailers where trailer.key.lowercased().hasPrefix("sigit-") {
            any = true
            guard let key = lowercasedKeys[trailer.key.lowercased()] else {
                throw TrailerProblem("unknown trailer \(Name.quoted(trailer.key))")
            }
            guard seen.insert(key).inserted else { throw TrailerProblem("trailer \(key) appears twice") }
            let value = trailer.value.trimmedFast(.whitespaces)
            guard !value.contains("\n"), !value.contains("\r") else { throw TrailerProblem("trailer \(key) spans several lines") }
            switch key {
            case "Sigit-Version": result.version = value
            case "Sigit-Action":
                guard let action = Action(rawValue: value) else { throw TrailerProblem("unknown action \(Name.quoted(value))") }
                result.action = action
            case "Sigit-Agreement": result.agreement = value
            case "Sigit-Identity": result.identity = value
            case "Sigit-Digest": result.digest = value
            case "Sigit-Step": result.step = value
            case "Sigit-On-Behalf-Of": result.onBehalfOf = value
            case "Sigit-Delegate": result.delegate = value
            case "Sigit-Policy-Digest": result.policyDigest = value
            case "Sigit-Recipient": result.recipient = value
            case "Sigit-Notice": result.notice = value
            case "Sigit-File": result.file = value
            case "Sigit-Line": result.line = value
            case "Sigit-Reply-To": result.replyTo = value
            case "Sigit-Resolve": result.resolve = value
            case "Sigit-Invitee": result.invitee = value
            case "Sigit-Invitation-Proof": result.invitationProof = value
            default: result.channel = value
            }
        }
        guard any else { return nil }
        guard result.version != nil else { throw TrailerProblem("Sigit-Version is missing") }
        guard result.version == "1" else { throw TrailerProblem("unsupported Sigit-Version \(Name.quoted(result.version ?? ""))") }
        guard let action = result.action else { throw TrailerProblem("Sigit-Action is missing") }
        guard result.identity != nil else { throw TrailerProblem("Sigit-Identity is missing") }
        if action.needsAgreement {
            guard let id = result.agreement else { throw TrailerProblem("Sigit-Agreement is missing") }
            guard Name.isValid(id) else { throw TrailerProblem("invalid agreement id \(Name.quoted(id))") }
        }
        if [.send, .approve, .decline, .comment].contains(action), result.digest == nil { throw TrailerProblem("Sigit-Digest is missing") }
        if [.approve, .decline, .delegate].contains(action), result.step == nil { throw TrailerProblem("Sigit-Step is missing") }
        if action == .delegate {
            guard let to = result.delegate else { throw TrailerProblem("Sigit-Delegate is missing") }
            guard Name.isValid(to) else { throw TrailerProblem("invalid Sigit-Delegate \(Name.quoted(to))") }
        } else if result.delegate != nil {
            throw TrailerProblem("Sigit-Delegate belongs on delegate events only")
        }
        if action == .notify {
            guard let recipient = result.recipient, Name.isValid(recipient) else { throw TrailerProblem("a notify event needs a valid Sigit-Recipient") }
            guard let notice = result.notice, NoticeKind(rawValue: notice) != nil else {
                throw TrailerProblem("a notify event needs Sigit-Notice: one of \(NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let channel = result.channel, Name.isValid(channel) else { throw TrailerProblem("a notify event needs a Sigit-Channel like smtp or webhook") }
            guard let agreement = result.agreement else { throw TrailerProblem("Sigit-Agreement is missing") }
            result.notices = [NoticeGroup(agreement: agreement, step: result.step, recipient: recipient, notice: notice, channel: channel)]
        } else if result.recipient != nil || result.notice != nil || result.channel != nil {
            throw TrailerProblem("Sigit-Recipient, Sigit-Notice and Sigit-Channel belong on notify events only")
        }
        try checkComment(result, action: action)
        try checkInvitation(result, action: action)
        if let behalf = result.onBehalfOf {
            guard [.approve, .decline].contains(action) else { throw TrailerProblem("Sigit-On-Behalf-Of belongs on approve and decline events only") }
            guard Name.isValid(behalf) else { throw TrailerProblem("invalid Sigit-On-Behalf-Of \(Name.quoted(behalf))") }
        }
        return result
    }

    /// The trailer block to append to a message, in the order of `keys`; a notify event writes `Sigit-Version`,
    /// `Sigit-Action`, `Sigit-Identity`, then one group per notice (`NoticeGroup.lines`).
    public func lines() -> [String] {
        if action == .notify, !notices.isEmpty {
            return ["Sigit-Version: \(version ?? "1")", "Sigit-Action: notify", "Sigit-Identity: \(identity ?? "")"] + notices.flatMap(\.lines)
        }
        let values: [String?] = [version, action?.rawValue, agreement, identity, digest, step, onBehalfOf, delegate, policyDigest, recipient, notice, channel,
                                 file, line, replyTo, resolve, invitee, invitationProof]
        return zip(Self.keys, values).compactMap { key, value in value.map { "\(key): \($0)" } }
    }
}

extension EventTrailers {
    /// The shape of a comment's trailers: `Sigit-File`, `Sigit-Line`, `Sigit-Reply-To` and `Sigit-Resolve` belong on
    /// comments only; a line needs a file; a reply or resolve names a thread by an event id and carries no anchor of
    /// its own; a comment is a reply or a resolve, not both.
    static func checkComment(_ t: EventTrailers, action: Action) throws {
        guard action == .comment else {
            if t.file != nil || t.line != nil || t.replyTo != nil || t.resolve != nil {
                throw TrailerProblem("Sigit-File, Sigit-Line, Sigit-Reply-To and Sigit-Resolve belong on comment events only")
            }
            return
        }
        if let file = t.file, let problem = CommentAnchor.problem(path: file) { throw TrailerProblem("Sigit-File \(Name.quoted(file)): \(problem)") }
        if let line = t.line {
            guard t.file != nil else { throw TrailerProblem("Sigit-Line needs a Sigit-File") }
            guard CommentAnchor.lineNumber(line) != nil else { throw TrailerProblem("Sigit-Line \(Name.quoted(line)) is not a line number (1 to 9999999)") }
        }
        if t.replyTo != nil, t.resolve != nil { throw TrailerProblem("a comment carries Sigit-Reply-To or Sigit-Resolve, not both") }
        if let root = t.replyTo ?? t.resolve {
            guard EventID(text: root) != nil else { throw TrailerProblem("\(t.replyTo != nil ? "Sigit-Reply-To" : "Sigit-Resolve") \(Name.quoted(root)) is not an event id (sha256:<64 hex digits>)") }
            guard t.file == nil else { throw TrailerProblem("a reply or resolve belongs to its thread's file and line; it carries no Sigit-File") }
        }
    }
}

extension EventTrailers {
    /// The shape of invitation trailers (spec section 9): an `invite` names a valid `Sigit-Invitee`, an `enroll`
    /// carries a well-formed `Sigit-Invitation-Proof`; neither trailer belongs anywhere else.
    static func checkInvitation(_ t: EventTrailers, action: Action) throws {
        if action == .invite {
            guard let invitee = t.invitee else { throw TrailerProblem("an invite event needs Sigit-Invitee") }
            guard Name.isValid(invitee) else { throw TrailerProblem("invalid Sigit-Invitee \(Name.quoted(invitee))") }
        } else if t.invitee != nil {
            throw TrailerProblem("Sigit-Invitee belongs on invite events only")
        }
        if action == .enroll {
            guard let proof = t.invitationProof else { throw TrailerProblem("an enroll event needs Sigit-Invitation-Proof") }
            guard proof.utf8.count == 88, Data(base64Encoded: proof)?.count == 64 else { throw TrailerProblem("Sigit-Invitation-Proof is not a 64-byte signature in base64") }
        } else if t.invitationProof != nil {
            throw TrailerProblem("Sigit-Invitation-Proof belongs on enroll events only")
        }
        if action == .invite || action == .enroll, t.digest != nil || t.onBehalfOf != nil {
            throw TrailerProblem("Sigit-Digest and Sigit-On-Behalf-Of do not belong on \(action.rawValue) events")
        }
        if action == .enroll, t.step != nil { throw TrailerProblem("Sigit-Step does not belong on enroll events") }
    }
}

/// Why a commit's trailers are malformed.
public struct TrailerProblem: Error, CustomStringConvertible {
    /// The reason.
    public let description: String
    init(_ description: String) { self.description = description }
}
