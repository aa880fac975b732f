import Foundation
import SSHSig

extension Policy {
    /// The identity whose key `key` is, judged as the verifier judges a signature made at `time`: the key must be
    /// listed, not revoked or compromised, and inside its validity window. Every "who am I" lookup goes through here.
    public func identity(signingWith key: SSHPublicKey, at time: Date) throws -> Identity {
        guard let (identity, entry) = owner(of: key) else {
            throw SigitError.key("the signing key \(key.fingerprint) is not in the policy; ask an admin to run sigit identity add, or pass --key")
        }
        guard !entry.revoked else {
            throw SigitError.key("the signing key \(key.fingerprint) of \(identity.id) is revoked; sign with another key of \(identity.id) (--key PATH)")
        }
        if let since = entry.compromisedSince {
            throw SigitError.key("the signing key \(key.fingerprint) of \(identity.id) is compromised since \(RFC3339.format(since)) and signs nothing new; sign with another key of \(identity.id) (--key PATH)")
        }
        guard entry.isValid(at: time) else {
            let window = [entry.validAfter.map { "valid after \(RFC3339.format($0))" }, entry.validBefore.map { "valid before \(RFC3339.format($0))" }]
                .compactMap { $0 }.joined(separator: ", ")
            throw SigitError.key("the signing key \(key.fingerprint) of \(identity.id) is outside its validity window (\(window)); sign with a current key of \(identity.id) (--key PATH)")
        }
        return identity
    }
}
