import Foundation
import GitKit
import SSHSig

extension Workspace {
    /// The signing page of the invitation whose secret is `secret`, read at the branch tip; nil when no invitation
    /// of the policy in force has that secret (compared in constant time).
    public func invitationView(secret: String, now: Date = Date()) throws -> InvitationView? {
        throw SigitError.repository("invitationView: not built yet")
    }

    /// Builds and judges the enrollment event of `secret`'s invitation for the passkey `key` (an
    /// `sk-ecdsa-sha2-nistp256@openssh.com` key whose application is the relying-party id). Throws a one-line
    /// refusal when it would not count (used, expired, wrong key type, a policy change pending).
    public func prepareEnrollment(secret: String, key: SSHPublicKey) throws -> PreparedEvent {
        throw SigitError.repository("prepareEnrollment: not built yet")
    }

    /// Builds and judges the invitee's approve (`approve` true) or decline (with `reason`) of the agreement at
    /// `digest`, the digest the page showed. Throws a one-line refusal when it would not count (the digest moved,
    /// no open slot, not enrolled).
    public func prepareDecision(secret: String, approve: Bool, reason: String?, digest: String) throws -> PreparedEvent {
        throw SigitError.repository("prepareDecision: not built yet")
    }

    /// Writes a prepared event with the armored SSHSIG the passkey made: checks it is by `prepared.key` over
    /// `prepared.payload`, judges the event again with the signature's flags (spec section 7), and moves the branch
    /// from `prepared.tip` by compare-and-swap. Throws when any of that fails; nothing is written then.
    public func complete(_ prepared: PreparedEvent, signature armored: String) throws -> Written {
        throw SigitError.repository("complete: not built yet")
    }
}
