import Foundation
import GitKit
import SSHSig

/// An event commit built and judged but not yet signed: the browser's passkey signs `signedData` (the SSHSIG
/// to-be-signed blob, given to WebAuthn as the challenge), and `Workspace.complete` writes it.
///
/// Holds no secret that counts: the commit counts only with a signature by `key`, and `complete` checks it
/// against this very payload.
public struct PreparedEvent: Sendable {
    /// What it is (`enroll`, `approve`, `decline`), for messages.
    public let action: Action
    /// The branch it goes on, and the tip it was built on (the branch must still be there when it completes).
    public let branch: String
    public let tip: ObjectID
    /// The commit object's bytes without the signature: exactly what the signature covers.
    public let payload: Data
    /// The SSHSIG signed data for `payload` (namespace git, sha512): the WebAuthn challenge.
    public let signedData: Data
    /// The key that must sign.
    public let key: SSHPublicKey
    /// The agreement's content digest the event carries (approve, decline).
    public let digest: String?
    /// The acting identity.
    public let identity: String
    /// The event as built (its working-tree paths are brought up to date when it lands), its tree and its committer.
    var draft: EventDraft?
    var tree: ObjectID?
    var person: Signature?

    /// A prepared event.
    public init(action: Action, branch: String, tip: ObjectID, payload: Data, signedData: Data, key: SSHPublicKey, digest: String?, identity: String) {
        self.action = action
        self.branch = branch
        self.tip = tip
        self.payload = payload
        self.signedData = signedData
        self.key = key
        self.digest = digest
        self.identity = identity
    }
}
