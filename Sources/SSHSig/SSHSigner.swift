import Foundation

/// Something that can make SSH signatures with one key: a private key file, ssh-agent or ssh-keygen.
public protocol SSHSigner {
    /// The public half of the signing key.
    var publicKey: SSHPublicKey { get }
    /// Signs `data` and returns an SSH signature blob (`string algorithm, string signature`).
    func sign(_ data: Data) throws -> Data
    /// Makes the whole SSHSIG signature over `message`; the default signs `SSHSignature.signedData` with `sign(_:)`.
    func signature(for message: Data, namespace: String, hashAlgorithm: String) throws -> SSHSignature
}

extension SSHSigner {
    /// Signs the SSHSIG signed data with `sign(_:)`, for signers that sign raw bytes.
    public func signature(for message: Data, namespace: String, hashAlgorithm: String) throws -> SSHSignature {
        guard let signed = SSHSignature.signedData(message, namespace: namespace, hashAlgorithm: hashAlgorithm) else {
            throw SSHSigError.malformed("the hash algorithm \(hashAlgorithm) is not sha256 or sha512")
        }
        let inner = try sign(signed)
        return SSHSignature(publicKey: publicKey, namespace: namespace, hashAlgorithm: hashAlgorithm, signature: inner)
    }
}
