import Foundation
import Testing

/// An ed25519 key made by stock `ssh-keygen`, which signs commit buffers the way git does
/// (`ssh-keygen -Y sign -n git`) and lists itself in an allowed-signers file for git.
struct SSHKeygenSigner {
    /// The tools, run with HOME in the scratch directory.
    let tools: ToolRunner
    /// The private key file.
    let keyPath: String
    /// The `gpg.ssh.allowedSignersFile` naming this key for `alice@example.com`.
    let allowedSignersPath: String

    /// Generates a key in `tools.home` under `name`.
    init(tools: ToolRunner, name: String = "signing-key") throws {
        self.tools = tools
        keyPath = tools.home + "/" + name
        allowedSignersPath = keyPath + ".allowed"
        try tools.succeed("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "alice@example.com", "-f", keyPath])
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8)
        try Data("alice@example.com \(publicKey)".utf8).write(to: URL(fileURLWithPath: allowedSignersPath))
    }

    /// The armored SSHSIG signature of `buffer` in namespace `git`, as ssh-keygen writes it.
    func sign(_ buffer: Data) throws -> String {
        let result = try tools.succeed("ssh-keygen", ["-Y", "sign", "-n", "git", "-f", keyPath], input: buffer)
        return result.text
    }

    /// True when `ssh-keygen -Y verify` accepts `armored` as this key's signature of `payload`.
    func verifies(_ armored: String, payload: Data) throws -> Bool {
        let signaturePath = tools.home + "/verify-" + UUID().uuidString.prefix(8) + ".sig"
        try Data(armored.utf8).write(to: URL(fileURLWithPath: signaturePath))
        defer { try? FileManager.default.removeItem(atPath: signaturePath) }
        let result = try tools.run("ssh-keygen", [
            "-Y", "verify", "-f", allowedSignersPath, "-I", "alice@example.com", "-n", "git", "-s", signaturePath,
        ], input: payload)
        return result.status == 0
    }
}
