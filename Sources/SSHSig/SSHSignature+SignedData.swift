import Foundation

extension SSHSignature {
    /// The bytes an SSHSIG signature covers for `message` (`SSHSIG`, namespace, reserved, hash algorithm,
    /// H(message)): what a WebAuthn authenticator is given as its challenge for a `webauthn-sk-*` signature.
    public static func signedData(for message: Data, namespace: String, hashAlgorithm: String) throws(SSHSigError) -> Data {
        guard !namespace.isEmpty else { throw .malformed("the signature namespace is empty") }
        guard let data = signedData(message, namespace: namespace, hashAlgorithm: hashAlgorithm) else {
            throw .malformed("unknown hash algorithm \(hashAlgorithm); sha512 or sha256")
        }
        return data
    }
}
