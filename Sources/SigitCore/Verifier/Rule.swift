/// The rules of format v1 that `sigit verify` names; raw values are stable identifiers for `--json`.
public enum Rule: String, Sendable, CaseIterable, Codable {
    case signature = "signature"                    // §3 the signature verifies (SSHSIG, namespace git)
    case unsigned = "unsigned"                      // §3 an event or protected change is signed
    case unknownKey = "unknown-key"                 // §3 key in the policy in force at the parents
    case keyRevoked = "key-revoked"                 // §3 key not revoked
    case keyWindow = "key-window"                   // §3 committer time inside the key's validity window
    case identityMismatch = "identity-mismatch"     // §2 Sigit-Identity equals the key's identity
    case trustRoot = "trust-root"                   // §3 root signed by an admin of its own policy
    case malformedEvent = "malformed-event"         // §2 trailers well formed
    case treeChanged = "tree-changed"               // §2 approve/decline/send/... keep the tree
    case permission = "permission"                  // §3/§4 draft, send, void, notify, admin permissions
    case adminOnly = "admin-only"                   // §2 only admins change .sigit/
    case policySerial = "policy-serial"             // §3 serial grows by exactly 1
    case policyInvalid = "policy-invalid"           // §3 the policy parses and is consistent
    case policyConflict = "policy-conflict"         // §3 two ratified policies with one serial
    case agreementInvalid = "agreement-invalid"     // §4 agreement.yml parses and matches the schema
    case unknownAgreement = "unknown-agreement"     // §4 the agreement exists
    case notInProgress = "not-in-progress"          // §4 approve/decline only while in progress
    case digestMismatch = "digest-mismatch"         // §4 bound to the current content digest
    case outOfOrder = "out-of-order"                // §4 the step is the current one
    case notRecipient = "not-recipient"             // §4 the signer fills an unfilled slot
    case humansOnly = "humans-only"                 // §4 non-humans stay out of humans-only steps
    case separationOfDuties = "allow-author"        // §4 the revision's author may not fill a slot
    case expired = "expired"                        // §4 nothing counts after the deadline
    case sendState = "send-state"                   // §4 send only a draft whose digest matches
    case terminal = "terminal"                      // §4 no change after completed or voided
    case delegation = "delegation"                  // §4 delegate only where allowed, once, not again; act only through a live delegation
    case keyLeft = "key-left"                       // §3 no signing into the past: a key that left counts only before it left
    case revokedLater = "revoked-later"             // §3/§4 an event whose key a later ratified policy revoked (warning)
    case allowedSigners = "allowed-signers"         // §1 allowed_signers agrees with the policy (warning)
    case foreignMergeSignature = "merge-signature"  // §2 clean merge signed by a key outside the policy (warning)
    case committerTime = "committer-time"           // §4 committer time earlier than a parent's (warning)
    case signatureEncoding = "signature-encoding"   // §2 the gpgsig armor is the canonical one ssh-keygen writes
    case replay = "replay"                          // §2 an event (signed payload) counts at most once in a history
    case malformedObject = "malformed-object"       // §2 only regular files under .sigit/ and agreements/, ≤ 32 levels; commits parse
    case parallelRounds = "parallel-rounds"         // §4 a merge of two sides that each began their own round (warning)
}
