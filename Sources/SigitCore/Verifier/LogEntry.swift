import Foundation
import GitKit

/// One event of the audit trail as `sigit log` shows it.
///
/// Who acted is recorded as the policy in force at the event's parents describes them (spec section 4, *Who someone
/// was*): a later policy that renames an identity, changes its email, or gives its name to someone else does not
/// change what an earlier event says.
public struct LogEntry: Sendable {
    /// The commit.
    public let commit: ObjectID
    /// Committer time.
    public let time: Date
    /// The action (draft for content changes without trailers; nil for a clean merge).
    public let action: String
    /// The acting identity, when known.
    public let identity: String?
    /// SHA256 fingerprint of the signing key, when signed.
    public let fingerprint: String?
    /// Key algorithm, when signed.
    public let keyType: String?
    /// Agreement ids the event concerns.
    public let agreements: [String]
    /// Step, for approve/decline/delegate.
    public let step: String?
    /// The commit's subject.
    public let subject: String
    /// Body text (reason, comment).
    public let body: String
    /// Violations found on this commit (empty when it counts).
    public let violations: [Finding]
    /// The `Sigit-*` trailers, when present and well formed.
    public var trailers: EventTrailers? = nil
    /// What the good signature shows: hardware-backed or not, and a FIDO signature's type, flags, counter and
    /// WebAuthn origin (spec section 7); nil when unsigned or the signature is not good.
    public var signature: SignatureEvidence? = nil
    /// The acting identity (name, email, kind, owner, keys) as the policy in force at the event's parents lists it;
    /// nil when the signing key is not that identity's there (unsigned, unknown key, a key that left).
    public var signer: Identity? = nil
    /// The policy in force at the event's parents (for the trust root: its own policy), to name the other identities
    /// the event mentions (on-behalf-of, delegate, notice recipient) as they were then.
    public var policy: Policy? = nil
    /// The event's identity (spec section 2), when it is signed.
    public var event: EventID? = nil
    /// The event's counted time-stamp token as of the end of the walk (spec section 8), nil when it has none.
    public var trustedTime: TrustedStamp? = nil
    /// The committer time is later than the trusted time by more than the policy's `max-skew`.
    public var clockSkew: Bool = false
}
