import Foundation
import GitKit
import SSHSig

/// What the verifier needs of one commit, copied out of libgit2 into a value.
public struct CommitRecord: Sendable {
    /// The commit id.
    public let id: ObjectID
    /// The root tree.
    public let tree: ObjectID
    /// Parents in order.
    public let parents: [ObjectID]
    /// Committer (name, email, time).
    public let committer: Signature
    /// First line of the message.
    public let subject: String
    /// Message text between the subject and the trailer block (reasons, comments).
    public let body: String
    /// Parsed `Sigit-*` trailers, or the reason they are malformed.
    public let trailers: Result<EventTrailers?, TrailerProblem>
    /// Result of checking the signature cryptographically (policy not yet applied).
    public let signature: SignatureCheck

    /// Committer time as a date.
    public var time: Date { Date(timeIntervalSince1970: TimeInterval(committer.time)) }

    /// Reads commit `id` (unless `info` already holds it) and checks its signature.
    public static func load(_ repo: Repository, _ id: ObjectID, info known: CommitInfo? = nil) throws -> CommitRecord {
        make(id: id, info: try known ?? repo.commit(id), signed: try repo.signedPayload(of: id))
    }

    /// Builds the record of a commit already read: parses its trailers and checks its signature (`signed` is the
    /// `gpgsig` header and the bytes it signs, nil when unsigned). Pure computation: safe on any thread.
    static func make(id: ObjectID, info: CommitInfo, signed: (signature: String, payload: Data)?) -> CommitRecord {
        make(id: id, info: info, signature: signed.map { SignatureCheck.check(armored: $0.signature, payload: $0.payload) } ?? .unsigned)
    }

    /// Builds the record of a commit already read whose signature was already checked (e.g. remembered in the cache).
    static func make(id: ObjectID, info: CommitInfo, signature: SignatureCheck) -> CommitRecord {
        let trailers: Result<EventTrailers?, TrailerProblem>
        do {
            trailers = .success(try EventTrailers.parse(message: info.message, encoding: info.encoding))
        } catch let problem as TrailerProblem {
            trailers = .failure(problem)
        } catch {
            trailers = .failure(TrailerProblem("the trailers cannot be read"))
        }
        let (subject, body) = Self.split(info.message)
        return CommitRecord(id: id, tree: info.tree, parents: info.parents, committer: info.committer, subject: subject, body: body, trailers: trailers, signature: signature)
    }

    /// Builds a record from parts (used for a commit about to be written).
    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], committer: Signature, subject: String, body: String, trailers: Result<EventTrailers?, TrailerProblem>, signature: SignatureCheck) {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.committer = committer
        self.subject = subject
        self.body = body
        self.trailers = trailers
        self.signature = signature
    }

    static func split(_ message: String) -> (String, String) {
        var paragraphs = message.utf8.contains(0x0A) ? message.components(separatedBy: "\n\n") : [message]
        let subject = paragraphs.isEmpty ? "" : paragraphs.removeFirst().trimmedFast(.whitespacesAndNewlines)
        if let last = paragraphs.last, last.split(separator: "\n").allSatisfy({ $0.lowercased().hasPrefix("sigit-") }) {
            paragraphs.removeLast()
        }
        return (subject, paragraphs.isEmpty ? "" : paragraphs.joined(separator: "\n\n").trimmedFast(.whitespacesAndNewlines))
    }
}
