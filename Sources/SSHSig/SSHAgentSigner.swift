import Foundation

/// Signs through ssh-agent (the agent protocol over a Unix socket), for keys whose private half stays in the agent.
public struct SSHAgentSigner: SSHSigner, Sendable {
    /// The path of the agent's socket, usually `SSH_AUTH_SOCK`.
    public let socketPath: String
    /// The key the agent signs with.
    public let publicKey: SSHPublicKey

    /// SSH_AGENT_RSA_SHA2_256: ask for an `rsa-sha2-256` signature.
    private static let rsaSHA256Flag: UInt32 = 2
    /// SSH_AGENT_RSA_SHA2_512: ask for an `rsa-sha2-512` signature.
    private static let rsaSHA512Flag: UInt32 = 4

    /// Uses the agent at `socketPath` to sign with `publicKey`, after checking that the agent holds that key.
    public init(socketPath: String, publicKey: SSHPublicKey) throws(SSHSigError) {
        let held = try Self.identities(socketPath: socketPath)
        guard held.contains(publicKey) else {
            throw .agent("the agent does not hold the key \(publicKey.fingerprint); add it with ssh-add")
        }
        self.socketPath = socketPath
        self.publicKey = publicKey
    }

    /// Uses the agent named by `SSH_AUTH_SOCK` in `environment` to sign with `publicKey`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, publicKey: SSHPublicKey) throws(SSHSigError) {
        guard let path = environment["SSH_AUTH_SOCK"], !path.isEmpty else {
            throw .agent("SSH_AUTH_SOCK is not set")
        }
        try self.init(socketPath: path, publicKey: publicKey)
    }

    /// The keys the agent holds (SSH2_AGENTC_REQUEST_IDENTITIES), with their comments.
    ///
    /// Keys of types this library cannot use (certificates, security keys) are left out.
    public static func identities(socketPath: String) throws(SSHSigError) -> [SSHPublicKey] {
        let connection = try SSHAgentConnection(socketPath: socketPath)
        let reply = try connection.exchange(type: SSHAgentConnection.Message.requestIdentities, body: [])
        guard reply.type == SSHAgentConnection.Message.identitiesAnswer else {
            throw .agent("the agent refused to list its keys")
        }
        var reader = SSHWireReader(reply.body, context: "the agent's key list")
        do throws(SSHSigError) {
            let count = try reader.readUInt32()
            var keys: [SSHPublicKey] = []
            for _ in 0..<count {
                let blob = try reader.readString()
                let comment = try reader.readString()
                let text = String(decoding: comment, as: UTF8.self)
                if let key = try? SSHPublicKey(blob: Data(blob), comment: text.isEmpty ? nil : text) {
                    keys.append(key)
                }
            }
            try reader.expectEnd()
            return keys
        } catch {
            throw .agent("the agent sent a malformed key list")
        }
    }

    /// Asks the agent to sign `data` (SSH2_AGENTC_SIGN_REQUEST) and returns the SSH signature blob.
    ///
    /// RSA keys are asked for `rsa-sha2-512`, never SHA-1.
    public func sign(_ data: Data) throws -> Data {
        var request = SSHWireWriter()
        request.writeString([UInt8](publicKey.blob))
        request.writeString([UInt8](data))
        request.writeUInt32(publicKey.algorithm == SSHKeyMaterial.rsaName ? Self.rsaSHA512Flag : 0)
        let connection = try SSHAgentConnection(socketPath: socketPath)
        let reply = try connection.exchange(type: SSHAgentConnection.Message.signRequest, body: request.bytes)
        guard reply.type == SSHAgentConnection.Message.signResponse else {
            throw SSHSigError.agent("the agent refused to sign with \(publicKey.fingerprint) (was the confirmation declined?)")
        }
        var reader = SSHWireReader(reply.body, context: "the agent's signature")
        do throws(SSHSigError) {
            let signature = try reader.readString()
            try reader.expectEnd()
            return Data(signature)
        } catch {
            throw SSHSigError.agent("the agent sent a malformed signature")
        }
    }
}
