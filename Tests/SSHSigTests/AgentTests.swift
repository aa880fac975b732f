import Foundation
import Testing
@testable import SSHSig

@Suite("ssh-agent")
struct AgentTests {
    @Test("signing through ssh-agent gives signatures ssh-keygen verifies", arguments: [
        ("ed25519", nil), ("ecdsa", 256), ("rsa", 3072),
    ] as [(String, Int?)])
    func signsThroughAgent(type: String, bits: Int?) throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let path = try tool.keygen("key", type: type, bits: bits, comment: "agent@sigit")
        let agent = try AgentProcess(tool)
        defer { agent.stop() }
        try tool.succeed("ssh-add", ["-q", path], environment: ["SSH_AUTH_SOCK": agent.socket])
        let publicKey = try SSHPublicKey(openSSH: scratch.read("key.pub"))

        let held = try SSHAgentSigner.identities(socketPath: agent.socket)
        #expect(held == [publicKey])
        #expect(held.first?.comment == "agent@sigit")

        let signer = try SSHAgentSigner(socketPath: agent.socket, publicKey: publicKey)
        let message = Data("signed through the agent\n".utf8)
        let signature = try SSHSignature.sign(message, with: signer)
        #expect(signature.verify(message))
        #expect(try tool.verifies(signature.armored, message: message, publicKey: publicKey.openSSH))
        if type == "rsa" {
            var reader = SSHWireReader(signature.signature, context: "test")
            #expect(try reader.readText() == "rsa-sha2-512")
        }
    }

    @Test("an agent that does not hold the key is refused up front")
    func keyNotInAgent() throws {
        let scratch = try ScratchDirectory()
        let tool = OpenSSHTool(scratch)
        let agent = try AgentProcess(tool)
        defer { agent.stop() }
        #expect(try SSHAgentSigner.identities(socketPath: agent.socket).isEmpty)
        let key = SSHPrivateKey.generateEd25519(comment: "").publicKey
        #expect {
            try SSHAgentSigner(socketPath: agent.socket, publicKey: key)
        } throws: { error in
            if case SSHSigError.agent = error { return true }
            return false
        }
    }

    @Test("a missing agent socket is an agent error", arguments: ["/tmp/sshsig-no-such-agent.sock", "", String(repeating: "x", count: 300)])
    func missingSocket(path: String) {
        #expect {
            try SSHAgentSigner.identities(socketPath: path)
        } throws: { error in
            if case SSHSigError.agent = error { return true }
            return false
        }
    }
}
