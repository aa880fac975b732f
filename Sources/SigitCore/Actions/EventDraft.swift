import GitKit

/// A commit sigit is about to write: message parts, trailers and tree changes.
public struct EventDraft: Sendable {
    /// The subject line, e.g. `approve nda-acme (step legal-review)`.
    public var subject: String
    /// Free text (a reason, a comment); never in a trailer.
    public var body: String
    /// The `Sigit-*` trailers.
    public var trailers: EventTrailers
    /// Files to add, change or remove, relative to the repository root.
    public var files: [String: FileChange]
    /// Paths to bring the working tree in line with after the branch moved.
    public var checkoutPaths: [String]
    /// Paths whose working-tree files already hold the new content; only the index is brought up to date.
    public var refreshPaths: [String] = []

    /// One file change.
    public enum FileChange: Sendable, Equatable {
        case write(Data, executable: Bool)
        case remove
    }

    /// A draft with no file changes.
    public init(subject: String, body: String = "", trailers: EventTrailers, files: [String: FileChange] = [:], checkoutPaths: [String] = []) {
        self.subject = subject
        self.body = body
        self.trailers = trailers
        self.files = files
        self.checkoutPaths = checkoutPaths
    }

    /// The full commit message: subject, optional body, trailer block.
    public var message: String {
        var parts = [subject]
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { parts.append(text) }
        parts.append(trailers.lines().joined(separator: "\n"))
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The full message, read back the way `sigit verify` and git read it; refused with a one-line error,
    /// before anything is written, when the free text would change that reading (a `---` line, a scissors
    /// line, a `Sigit-` line, a carriage return) or the reading is not exactly `trailers`.
    public func checkedMessage() throws -> String {
        let message = self.message
        let read: EventTrailers?
        do {
            read = try EventTrailers.parse(message: message)
        } catch let problem as TrailerProblem {
            throw SigitError.badInput("the text would change how git reads this event: \(problem.description); rephrase it; nothing was written")
        }
        guard read == trailers else {
            throw SigitError.badInput("the text would change how git reads this event's trailers; rephrase it; nothing was written")
        }
        return message
    }
}

import Foundation
