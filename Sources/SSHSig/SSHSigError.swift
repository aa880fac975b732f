/// Errors from parsing OpenSSH keys and signatures, or from talking to ssh-agent.
public enum SSHSigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The private key file is protected by a passphrase.
    case encryptedPrivateKey
    /// The key type is not one this library handles.
    case unsupportedKeyType(String)
    /// The input is not a well-formed OpenSSH key or signature.
    case malformed(String)
    /// A well-formed signature that does not verify; the text says what did not match.
    case invalidSignature(String)
    /// ssh-agent could not be reached or refused the request.
    case agent(String)
    /// `ssh-keygen -Y sign` could not sign; the text is a whole sentence.
    case signingTool(String)

    /// One sentence a user can act on.
    public var description: String {
        switch self {
        case .encryptedPrivateKey:
            return "the private key is encrypted; add it to ssh-agent (ssh-add KEY) and sign through the agent"
        case .unsupportedKeyType(let type):
            return "the key type \(type) is not supported; sigit signs with ssh-ed25519, ecdsa-sha2-nistp256 and ssh-rsa (2048 bits or more) keys (ssh-keygen -t ed25519)"
        case .malformed(let what):
            return "malformed input: \(what); check that the key or signature was copied whole"
        case .invalidSignature(let what):
            return "invalid signature: \(what)"
        case .signingTool(let sentence):
            return sentence
        case .agent(let what):
            return "ssh-agent: \(what); check that SSH_AUTH_SOCK points to a running agent that holds the key"
        }
    }
}
