/// How to authenticate to an SSH remote: the ssh-agent first, then a private key file.
public struct RemoteCredentials: Sendable, Equatable {
    /// A private key file to offer (its public half is read from `<path>.pub` when present).
    public var privateKeyPath: String?
    /// Offers the keys of the agent named by SSH_AUTH_SOCK before the key file.
    public var useAgent: Bool

    /// Creates credentials; the default uses the agent only.
    public init(privateKeyPath: String? = nil, useAgent: Bool = true) {
        self.privateKeyPath = privateKeyPath
        self.useAgent = useAgent
    }
}
