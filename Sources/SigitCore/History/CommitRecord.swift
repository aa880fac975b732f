import Foundation
import GitKit
import SSHSig

/// What the verifier needs of one commit, copied out of libgit2 into a value.
public struct CommitRecord: Sendable {
    /// The commit id.
    public let id: ObjectID
    /// The root tree (for a malformed commit whose tree header cannot be read: `ObjectID.zero`).
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
    /// The event's identity (SHA-256 of the signed payload), for a commit with a good signature.
    public let eventID: EventID?
    /// What a good signature by a FIDO (`sk-*`) key says: its type, flags and counter; nil for any other commit.
    /// Read for evidence and by the `assurance` and `counter-regression` rules (spec section 7).
    public let signatureDetails: SSHSignatureDetails?
    /// Why the commit cannot be read as a commit (libgit2 refuses it: a malformed author or committer line); nil for
    /// a well-formed commit. Such a commit is a `malformed-object` violation and counts nothing.
    public let malformed: String?

    /// Committer time as a date.
    public var time: Date { Date(timeIntervalSince1970: TimeInterval(committer.time)) }

    /// Reads commit `id` (unless `info` already holds it) and checks its signature.
    public static func load(_ repo: Repository, _ id: ObjectID, info known: CommitInfo? = nil) throws -> CommitRecord {
        make(id: id, info: try known ?? repo.commit(id), signed: try repo.signedPayload(of: id))
    }

    /// Builds the record of a commit already read: parses its trailers and checks its signature (`signed` is the
    /// `gpgsig` header and the bytes it signs, nil when unsigned). Pure computation: safe on any thread.
    static func make(id: ObjectID, info: CommitInfo, signed: (signature: String, payload: Data)?) -> CommitRecord {
        let checked = signed.map { SignatureCheck.checkWithDetails(armored: $0.signature, payload: $0.payload) }
        let check = checked?.check ?? .unsigned
        let event = check.key != nil ? signed.map { EventID(payload: $0.payload) } : nil
        return make(id: id, info: info, signature: check, event: event, details: checked?.details)
    }

    /// The record of a commit libgit2 cannot parse: only its raw tree and parents are known.
    static func malformed(id: ObjectID, header: RawCommitHeader, reason: String) -> CommitRecord {
        CommitRecord(id: id, tree: header.tree ?? .zero, parents: header.parents, committer: Signature(name: "", email: "", time: 0, offsetMinutes: 0), subject: "",
                     body: "", trailers: .success(nil), signature: .unsigned, eventID: nil, malformed: reason, signatureDetails: nil)
    }

    /// Builds the record of a commit already read whose signature was already checked (e.g. remembered in the cache);
    /// `details` are kept only for a good signature by a FIDO key.
    static func make(id: ObjectID, info: CommitInfo, signature: SignatureCheck, event: EventID?, details: SSHSignatureDetails?) -> CommitRecord {
        let trailers: Result<EventTrailers?, TrailerProblem>
        do {
            trailers = .success(try EventTrailers.parse(message: info.message, encoding: info.encoding))
        } catch let problem as TrailerProblem {
            trailers = .failure(problem)
        } catch {
            trailers = .failure(TrailerProblem("the trailers cannot be read"))
        }
        let (subject, body) = Self.split(info.message)
        return CommitRecord(id: id, tree: info.tree, parents: info.parents, committer: info.committer, subject: subject, body: body, trailers: trailers,
                            signature: signature, eventID: signature.key != nil ? event : nil, malformed: nil,
                            signatureDetails: signature.key != nil && details?.isHardwareBacked == true ? details : nil)
    }

    /// Builds a record from parts (used for a commit about to be written).
    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], committer: Signature, subject: String, body: String, trailers: Result<EventTrailers?, TrailerProblem>,
                signature: SignatureCheck, eventID: EventID?, malformed: String? = nil, signatureDetails: SSHSignatureDetails? = nil) {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.committer = committer
        self.subject = subject
        self.body = body
        self.trailers = trailers
        self.signature = signature
        self.eventID = eventID
        self.malformed = malformed
        self.signatureDetails = signatureDetails
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
