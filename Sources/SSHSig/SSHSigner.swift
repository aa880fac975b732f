import Foundation

/// Something that can make SSH signatures with one key: a private key file or ssh-agent.
public protocol SSHSigner {
    /// The public half of the signing key.
    var publicKey: SSHPublicKey { get }
    /// Signs `data` and returns an SSH signature blob (`string algorithm, string signature`).
    func sign(_ data: Data) throws -> Data
}
