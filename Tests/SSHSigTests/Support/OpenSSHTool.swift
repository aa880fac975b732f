import Foundation
import Testing

/// Runs the real OpenSSH tools (ssh-keygen, ssh-add, ssh-agent) inside a scratch directory,
/// with HOME pointing there so they never read or touch the user's ~/.ssh.
struct OpenSSHTool {
    /// Where keys, messages and signatures are written.
    let scratch: ScratchDirectory

    init(_ scratch: ScratchDirectory) {
        self.scratch = scratch
    }

    /// Runs the tools with HOME in the scratch directory and nothing else of the test's environment but PATH.
    var runner: ToolRunner {
        ToolRunner(home: scratch.path, exactEnvironment: ["HOME": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
    }

    /// The environment every tool runs with; `extra` overrides it.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        runner.environment.merging(extra) { $1 }
    }

    /// Starts `tool` with `arguments` and does not wait for it.
    func launch(_ tool: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
        try runner.launch(tool, arguments, environment: extra)
    }

    /// Runs `tool` to completion, feeding `input` on standard input.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], input: Data = Data(), environment extra: [String: String] = [:]) throws -> ToolResult {
        try runner.run(tool, arguments, input: input, environment: extra)
    }

    /// Runs `tool` and records an issue unless it exits 0.
    @discardableResult
    func succeed(_ tool: String, _ arguments: [String], input: Data = Data(), environment extra: [String: String] = [:]) throws -> ToolResult {
        let result = try run(tool, arguments, input: input, environment: extra)
        #expect(result.status == 0, "\(tool) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result
    }

    /// Makes a key pair with `ssh-keygen -t type` in file `name` (and `name.pub`); returns the private key path.
    @discardableResult
    func keygen(_ name: String, type: String = "ed25519", bits: Int? = nil, passphrase: String = "", comment: String = "test@sigit") throws -> String {
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", comment, "-f", scratch.path(name)]
        if let bits { arguments += ["-b", String(bits)] }
        try succeed("ssh-keygen", arguments)
        return scratch.path(name)
    }

    /// Signs `message` with `ssh-keygen -Y sign` and returns the armored signature.
    func sign(_ message: Data, key: String, namespace: String = "git", options: [String] = []) throws -> String {
        let options = options.flatMap { ["-O", $0] }
        return try succeed("ssh-keygen", ["-Y", "sign", "-n", namespace, "-f", key] + options, input: message).text
    }

    /// Asks `ssh-keygen -Y verify` whether `armored` is a valid signature of `message` by `publicKey`.
    func verifies(_ armored: String, message: Data, publicKey: String, namespace: String = "git") throws -> Bool {
        let id = UUID().uuidString.prefix(8)
        let signers = try scratch.write("signer@sigit \(publicKey)\n", to: "allowed-\(id)")
        let signature = try scratch.write(armored, to: "sig-\(id)")
        let result = try run("ssh-keygen", ["-Y", "verify", "-f", signers, "-I", "signer@sigit", "-n", namespace, "-s", signature], input: message)
        return result.status == 0
    }

    /// What stock `ssh-keygen -vv -Y verify` says of `armored`: whether it verifies and, for a FIDO signature, the
    /// counter and flags it reports (its debug line `signature details: counter = N, flags = 0xNN`).
    func stockVerification(_ armored: String, message: Data, publicKey: String, namespace: String = "git") throws -> StockVerification {
        let id = UUID().uuidString.prefix(8)
        let signers = try scratch.write("signer@sigit \(publicKey)\n", to: "allowed-\(id)")
        let signature = try scratch.write(armored, to: "sig-\(id)")
        let result = try run("ssh-keygen", ["-vv", "-Y", "verify", "-f", signers, "-I", "signer@sigit", "-n", namespace, "-s", signature], input: message)
        var counter: UInt32? = nil
        var flags: UInt8? = nil
        if let line = result.stderr.components(separatedBy: .newlines).first(where: { $0.contains("signature details: counter = ") }) {
            let fields = line.components(separatedBy: "signature details: counter = ")[1].components(separatedBy: ", flags = 0x")
            counter = UInt32(fields[0].trimmingCharacters(in: .whitespacesAndNewlines))
            flags = fields.count > 1 ? UInt8(fields[1].trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) : nil
        }
        return StockVerification(valid: result.status == 0, counter: counter, flags: flags, stderr: result.stderr)
    }
}

/// The answer of stock `ssh-keygen -Y verify`.
struct StockVerification {
    /// Exit status 0.
    let valid: Bool
    /// The FIDO counter it reported, if any.
    let counter: UInt32?
    /// The FIDO flags it reported, if any.
    let flags: UInt8?
    /// What it printed on stderr.
    let stderr: String
}
