import Foundation
import GitKit

extension Workspace {
    /// What `sigit comment` was asked to write: a new thread (on the agreement, a file, or a line of a file), a reply
    /// to a thread, or a comment that resolves one.
    public struct CommentRequest: Sendable {
        /// The comment's text (required, except on a resolve).
        public var text: String
        /// The file of the agreement's folder a new thread is about.
        public var file: String?
        /// The line of `file`.
        public var line: Int?
        /// The thread answered: its first comment's event id, or a unique prefix of it.
        public var replyTo: String?
        /// The thread resolved: its first comment's event id, or a unique prefix of it.
        public var resolve: String?

        /// A request.
        public init(text: String, file: String? = nil, line: Int? = nil, replyTo: String? = nil, resolve: String? = nil) {
            self.text = text
            self.file = file
            self.line = line
            self.replyTo = replyTo
            self.resolve = resolve
        }
    }

    /// `sigit comment ID -m TEXT [--file PATH [--line N] | --reply EVENT | --resolve EVENT]`: a signed comment that
    /// decides nothing. Checked with the ledger's rules before anything is written.
    public func comment(id: String, _ request: CommentRequest) throws -> Written {
        try Name.check(id, "agreement id")
        let text = request.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if request.resolve == nil, text.isEmpty { throw SigitError.badInput("a comment needs text: -m TEXT") }
        if request.replyTo != nil, request.resolve != nil { throw SigitError.badInput("--reply and --resolve name one thread each; give one of them") }
        if (request.replyTo ?? request.resolve) != nil, request.file != nil || request.line != nil {
            throw SigitError.badInput("a reply or resolve belongs to its thread's file and line; drop --file and --line")
        }
        if request.line != nil, request.file == nil { throw SigitError.badInput("--line needs --file PATH") }
        if let line = request.line, !(1...9_999_999).contains(line) { throw SigitError.badInput("--line \(line) is not a line number (1 to 9999999)") }
        if let file = request.file, let problem = CommentAnchor.problem(path: file) {
            throw SigitError.badInput("--file \(Name.quoted(file)): \(problem)")
        }
        return try write { state, me in
            guard let policy = state.policy else { throw SigitError.repository("no policy in force") }
            let track = try self.track(id, state)
            guard track.names(me.id, policy: policy) || policy.allows(.draft, me.id) else {
                throw SigitError.notAllowed("agreement \(id) does not name \(me.id), and \(me.id) lacks the draft permission; only those may comment on it")
            }
            if case .failure(let error) = track.spec { throw SigitError.notAllowed("agreement \(id) is invalid and takes no comments: \(error)") }
            var trailers = self.trailers(.comment, me, agreement: id)
            trailers.digest = track.digest
            var subject = "comment on \(id)"
            if let given = request.replyTo ?? request.resolve {
                let root = try self.thread(given, of: track)
                if request.resolve != nil {
                    guard track.mayResolve(root, by: me.id, policy: policy) else {
                        throw SigitError.notAllowed("only the thread's author (\(root.identity)), the agreement's sender or an admin may resolve it")
                    }
                    guard !track.isResolved(root.eventID) else { throw SigitError.notAllowed("that thread of \(id) is already resolved") }
                    trailers.resolve = root.eventID.description
                    subject = "resolve a comment thread on \(id)"
                } else {
                    trailers.replyTo = root.eventID.description
                    subject = "reply on \(id)"
                }
            } else if let file = request.file {
                guard let tip = try self.head() else { throw SigitError.repository("no commits") }
                let entry = try self.repo.treeEntry(try self.repo.commit(tip).tree, path: "agreements/\(id)/\(file)")
                guard let entry, entry.mode == 0o100644 || entry.mode == 0o100755, let data = try? self.repo.blob(entry.id) else {
                    throw SigitError.badInput("agreement \(id) has no regular file \(Name.quoted(file)); sigit review \(id) lists its files")
                }
                trailers.file = file
                subject = "comment on \(id) (\(file)"
                if let line = request.line {
                    let bytes = Array(data)
                    if bytes.contains(0) { throw SigitError.badInput("\(Name.quoted(file)) is binary; comment on the file without --line") }
                    let count = CommentAnchor.lineCount(bytes)
                    guard line <= count else { throw SigitError.badInput("\(Name.quoted(file)) has \(count) lines; --line \(line) is past its end") }
                    trailers.line = String(line)
                    subject += ":\(line)"
                }
                subject += ")"
            }
            return EventDraft(subject: subject, body: text, trailers: trailers)
        }
    }

    /// The event id of the signed commit `commit` (spec section 2, *Event identity*); nil when it is not signed.
    public func eventID(of commit: ObjectID) throws -> EventID? {
        try repo.signedPayload(of: commit).map { EventID(payload: $0.payload) }
    }

    /// The first comment of the thread `given` names (a full event id, or a unique prefix of at least 8 hex digits,
    /// with or without `sha256:`), or a clear error.
    func thread(_ given: String, of track: AgreementTrack) throws -> RecordedEvent {
        let hex = given.hasPrefix("sha256:") ? String(given.dropFirst(7)) : given
        guard hex.count >= 8, hex.count <= 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw SigitError.badInput("\(Name.quoted(given)) is not a thread id; sigit review \(track.id) lists the threads with theirs (sha256:…, at least 8 hex digits)")
        }
        let roots = track.events.filter { $0.kind == .comment && $0.comment?.thread == nil && $0.eventID.description.dropFirst(7).hasPrefix(hex) }
        guard let root = roots.first else { throw SigitError.badInput("agreement \(track.id) has no comment thread \(Name.quoted(given)); sigit review \(track.id) lists them") }
        guard roots.count == 1 else { throw SigitError.badInput("\(Name.quoted(given)) names \(roots.count) threads of \(track.id); give more digits") }
        return root
    }
}
