/// What `sigit review ID` shows: the document changes since the version the reviewer last saw, who approved which
/// version, and what is still open, like a pull request's "changes since your last review".
public struct Review: Encodable, Sendable, Equatable {
    /// The agreement id.
    public let id: String
    public let title: String
    /// The agreement state now.
    public let state: String
    /// The content digest now.
    public let digest: String
    /// The commit reviewed (HEAD).
    public let commit: String
    /// The reviewer (the identity of the signing key), when the key is in the policy.
    public let reviewer: String?
    /// The version compared against; nil when there is none (every file is new).
    public let baseline: Baseline?
    /// Changed files under `agreements/<id>/`, by path.
    public let changes: [ReviewChange]
    /// Every approve and decline, oldest first, with the version it was for.
    public let decisions: [ReviewDecision]
    /// The steps and slots as `sigit status` shows them.
    public let status: AgreementStatus
    /// Slots of the current step still waiting.
    public let open: [String]
    /// Comment threads, oldest first (comments decide nothing).
    public let threads: [CommentThread]
    /// On a first review (the reviewer has decided on no version yet, and no --since): every file of the agreement
    /// with its size, and the text of text files; nil otherwise.
    public let documents: [ReviewDocument]?

    /// The version a review compares against.
    public struct Baseline: Encodable, Sendable, Equatable {
        /// The commit whose content is the old side.
        public let commit: String
        /// The content digest there.
        public let digest: String
        /// your-approval, your-decline, sent, or since (--since REV).
        public let reason: String
    }
}

/// One file of the agreement on a first review.
public struct ReviewDocument: Encodable, Sendable, Equatable {
    /// Path relative to `agreements/<id>/`.
    public let path: String
    /// Size in bytes.
    public let size: Int
    /// SHA-256 of the bytes (hex).
    public let sha256: String
    /// True when the file is not UTF-8 text without NUL bytes: its content is described, not shown.
    public let binary: Bool
    /// The text of a text file, at most `Review.maxShownBytes` of it (untrusted: escape before printing).
    public let text: String?
    /// True when `text` is cut short.
    public let truncated: Bool
}

/// One changed file in a review.
public struct ReviewChange: Encodable, Sendable, Equatable {
    /// Path relative to `agreements/<id>/`.
    public let path: String
    /// added, deleted, modified, renamed or type-changed.
    public let status: String
    /// True for a binary file: no patch, only hashes.
    public let binary: Bool
    /// SHA-256 of the old and new bytes.
    public let oldSha256: String?
    public let newSha256: String?
    /// Unified diff of a text file (untrusted text: escape before printing).
    public let patch: String
}

/// One approve or decline, and the version it was for.
public struct ReviewDecision: Encodable, Sendable, Equatable {
    public let commit: String
    public let time: String
    public let action: String
    public let step: String?
    public let identity: String?
    /// The actor's display name and email as the policy in force at the decision's parents listed them.
    public let name: String?
    public let email: String?
    /// The signing key's `SHA256:` fingerprint.
    public let fingerprint: String?
    /// The signing key's type, e.g. `ssh-ed25519` or `sk-ssh-ed25519@openssh.com`.
    public let keyType: String?
    /// What the good signature shows (spec section 7): hardware-backed, and a FIDO signature's type, flags, counter
    /// and WebAuthn origin.
    public let signature: SignatureEvidence?
    public let onBehalfOf: String?
    /// The digest it approved or declined.
    public let digest: String?
    /// True when that digest is the content now.
    public let current: Bool
    /// counted, stale, not-needed, dropped or violation (as in the certificate).
    public let effect: String
    /// The reason or comment (untrusted text).
    public let text: String
}
