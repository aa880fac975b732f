import Foundation

/// A certificate of completion: everything an auditor needs to know about one agreement, derived from verified
/// history as of one commit. Its JSON form is schema `sigit-certificate/2` (docs/EVIDENCE.md); field names never
/// change within a schema version. Version 2 names each event's identity as the policy in force at the event's
/// parents had it (spec section 4, *Who someone was*); version 1 used the newest policy's details.
public struct Certificate: Codable, Sendable, Equatable {
    /// `sigit-certificate/2`.
    public var schema = Certificate.schemaName
    /// True unless the agreement is completed: an interim certificate proves progress, not completion.
    public var interim: Bool
    /// When the certificate was made (RFC 3339, UTC).
    public var generated: String
    /// The sigit version that made it.
    public var generator: String
    /// The agreement and its documents as of `repository.commit`.
    public var agreement: AgreementPart
    /// Where the evidence comes from.
    public var repository: RepositoryPart
    /// The policy in force at `repository.commit`.
    public var policy: PolicyPart
    /// What `sigit verify` says about the history.
    public var verdict: Verdict
    /// Every event of the agreement, oldest first.
    public var events: [Event]
    /// Identities that acted or were named, as they were at the events that name them (one entry per version).
    public var identities: [Person]

    /// The schema name of this version.
    public static let schemaName = "sigit-certificate/2"

    /// The agreement part.
    public struct AgreementPart: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        /// draft, in-progress, completed, declined, voided, expired or invalid.
        public var state: String
        /// Time of the event that put the agreement in its state (completion, decline, void, send), if any.
        public var stateSince: String?
        /// The commit of that event.
        public var stateCommit: String?
        /// `sha256:<hex>` content digest (spec section 5).
        public var digest: String
        /// The digest that was sent and approved in the last round, when there was one.
        public var sentDigest: String?
        /// Every file under `agreements/<id>/`.
        public var documents: [Document]
        /// When the round expires, when it does; nil once the agreement is completed (a completed agreement does not expire).
        public var expires: String?
    }

    /// One file of the agreement.
    public struct Document: Codable, Sendable, Equatable {
        /// Path relative to `agreements/<id>/`.
        public var path: String
        /// SHA-256 of the file's bytes, lower-case hex.
        public var sha256: String
        public var size: Int
        /// git file mode in octal: 100644, 100755 or 120000.
        public var mode: String
        /// True when `agreement.yml` lists it under `documents` (the files a reader should look at).
        public var listed: Bool
    }

    /// The repository part.
    public struct RepositoryPart: Codable, Sendable, Equatable {
        /// The commit the certificate describes the state at.
        public var commit: String
        /// The trust root: the commit that first added `.sigit/policy.yml`.
        public var trustRoot: String
    }

    /// The policy part.
    public struct PolicyPart: Codable, Sendable, Equatable {
        public var serial: Int
        public var threshold: Int
        /// The commit at which this policy came into force.
        public var commit: String?
        /// `sha256:<hex>` of `.sigit/policy.yml`.
        public var digest: String?
    }

    /// The verification verdict.
    public struct Verdict: Codable, Sendable, Equatable {
        /// True when no commit of the history up to `repository.commit` breaks a rule.
        public var ok: Bool
        /// Commits checked.
        public var checked: Int
        /// Violations in the whole history.
        public var violations: Int
        /// Violations and warnings on this agreement's own events.
        public var findings: [FindingPart]
    }

    /// A violation or warning.
    public struct FindingPart: Codable, Sendable, Equatable {
        public var commit: String
        public var rule: String
        /// violation or warning.
        public var severity: String
        public var message: String
    }

    /// One event.
    public struct Event: Codable, Sendable, Equatable {
        public var commit: String
        /// Committer time, RFC 3339.
        public var time: String
        /// draft, send, approve, decline, delegate, void, notify, comment, invite, enroll (merges are not events).
        public var action: String
        /// What the event does now: counted, stale (an earlier revision or round), not-needed (quorum already met),
        /// recorded (draft, send, notify, delegate), non-decisive (a comment), policy (an invite or enroll of the
        /// agreement's invitee), or violation.
        public var effect: String
        public var step: String?
        /// The acting identity (nil for an unsigned or unknown-key commit).
        public var identity: String?
        /// The acting identity's display name, email, kind and owner as the policy in force at the event's parents
        /// listed them (nil when the signing key was not that identity's there).
        public var name: String?
        public var email: String?
        public var kind: String?
        public var owner: String?
        public var onBehalfOf: String?
        public var delegate: String?
        /// `Sigit-Digest`, or for a draft the digest it made.
        public var digest: String?
        /// SSH key algorithm, e.g. ssh-ed25519.
        public var keyType: String?
        /// `SHA256:<base64>`, as ssh-keygen prints it.
        public var fingerprint: String?
        /// What the good signature shows (spec section 7): hardware-backed, and a FIDO signature's type, flags,
        /// counter and WebAuthn origin; nil when unsigned.
        public var signature: SignatureEvidence? = nil
        /// The commit subject.
        public var subject: String
        /// Reason or comment from the message body (untrusted text).
        public var text: String
        /// For a notify event: who was told what, by which channel type.
        public var notice: Notice?
        /// For a counted comment: its event id, anchor and thread.
        public var comment: Comment? = nil
        /// Rules this commit breaks.
        public var violations: [String]
        /// The event's counted time-stamp token (spec section 8): the time an authority vouches the commit existed
        /// at, beside the committer time `time`, and whether the committer time is later by more than `max-skew`;
        /// nil when the event has none.
        public var trustedTime: TrustedTimeEvidence? = nil
    }

    /// A comment: decides nothing; listed so the record of the discussion stays with the evidence.
    public struct Comment: Codable, Sendable, Equatable {
        /// This comment's event id (`sha256:…`).
        public var event: String
        /// The thread it belongs to: its first comment's event id (its own, for a first comment).
        public var thread: String
        /// The file and line of the thread's first comment (nil: the whole agreement, or a reply or resolve).
        public var file: String?
        public var line: Int?
        /// True for the comment that resolved its thread.
        public var resolves: Bool
        /// True when made after the agreement was completed or voided.
        public var afterEnd: Bool

        /// `path:line`, `path`, or nil.
        public var place: String? { file.map { name in line.map { "\(name):\($0)" } ?? name } }
    }

    /// A notice that was sent.
    public struct Notice: Codable, Sendable, Equatable {
        public var recipient: String
        public var kind: String
        public var channel: String
    }

    /// An identity as the policy in force at an event that names it described it. An identity renamed, given a new
    /// email, or whose name a later policy gave to someone else appears once per version.
    public struct Person: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var email: String
        /// human, service or agent.
        public var kind: String
        /// The human who answers for a service or agent.
        public var owner: String?
        /// True when the policy in force at `repository.commit` lists the identity with these same details.
        public var current: Bool
    }
}
