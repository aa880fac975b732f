import Foundation

/// Signs by running `ssh-keygen -Y sign`, as git does: for encrypted key files (ssh-keygen asks for the
/// passphrase on the terminal, or through `SSH_ASKPASS`) and for FIDO security keys.
///
/// The signature it writes is parsed and must come from `publicKey`; `SSHSignature.sign` verifies it too.
public struct SSHKeygenSigner: SSHSigner, Sendable {
    /// The key file ssh-keygen signs with.
    public let keyPath: String
    /// The public half of that key.
    public let publicKey: SSHPublicKey
    /// The environment ssh-keygen runs with (PATH, SSH_ASKPASS, DISPLAY, SSH_AUTH_SOCK).
    public let environment: [String: String]
    /// Whether the key file is encrypted, so ssh-keygen must ask for a passphrase.
    public let needsPassphrase: Bool

    /// A signer for the key file at `keyPath`, whose public half is `publicKey`.
    public init(keyPath: String, publicKey: SSHPublicKey, needsPassphrase: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.keyPath = keyPath
        self.publicKey = publicKey
        self.needsPassphrase = needsPassphrase
        self.environment = environment
    }

    /// ssh-keygen signs whole messages only; `signature(for:namespace:hashAlgorithm:)` is the way in.
    public func sign(_ data: Data) throws -> Data {
        throw SSHSigError.agent("ssh-keygen signs whole messages, not raw data")
    }

    /// Runs `ssh-keygen -Y sign -n NAMESPACE -f KEY FILE` on a private copy of `message` and reads `FILE.sig`.
    public func signature(for message: Data, namespace: String, hashAlgorithm: String) throws -> SSHSignature {
        guard hashAlgorithm == "sha512" else {
            throw SSHSigError.malformed("ssh-keygen signs with sha512 only, not \(hashAlgorithm)")
        }
        if needsPassphrase, !Self.hasTerminal, !canAskPass {
            throw SSHSigError.signingTool("the signing key \(keyPath) is encrypted and there is no terminal to ask for its passphrase; add it to ssh-agent (ssh-add \(keyPath)) or run sigit in a terminal")
        }
        guard let program = Self.find("ssh-keygen", path: environment["PATH"]) else {
            throw SSHSigError.signingTool("ssh-keygen is not on PATH; it signs with \(keyPath) (encrypted or a security key); install OpenSSH or add the key to ssh-agent (ssh-add \(keyPath))")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sigit-sign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("message")
        try message.write(to: file)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-Y", "sign", "-n", namespace, "-f", keyPath, file.path]
        process.environment = environment
        // ssh-keygen reads the passphrase from /dev/tty; where stdin is no terminal it would read stdin instead.
        process.standardInput = isatty(STDIN_FILENO) == 1 ? FileHandle.standardInput : FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let signatureFile = file.appendingPathExtension("sig")
        guard process.terminationStatus == 0, let armored = FileManager.default.contents(atPath: signatureFile.path) else {
            let reason = Self.lastLine(said)
            throw SSHSigError.signingTool("ssh-keygen -Y sign could not sign with \(keyPath)\(reason.isEmpty ? "" : " (\(reason))"); check the passphrase, or add the key to ssh-agent (ssh-add \(keyPath))")
        }
        let signature = try SSHSignature(armored: String(decoding: armored, as: UTF8.self))
        guard signature.publicKey == publicKey, signature.namespace == namespace else {
            throw SSHSigError.signingTool("ssh-keygen signed with another key than \(publicKey.fingerprint) for \(keyPath); check that \(keyPath).pub belongs to \(keyPath)")
        }
        return signature
    }

    /// Whether ssh-keygen may ask through `SSH_ASKPASS` (forced, or with a display to show it on).
    private var canAskPass: Bool {
        guard let askpass = environment["SSH_ASKPASS"], !askpass.isEmpty else { return false }
        switch environment["SSH_ASKPASS_REQUIRE"]?.lowercased() {
        case "force"?: return true
        case "never"?: return false
        default: return !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
        }
    }

    /// Whether the process has a controlling terminal to ask on.
    private static var hasTerminal: Bool {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// The first executable `name` in the directories of `path`.
    private static func find(_ name: String, path: String?) -> String? {
        for directory in (path ?? "/usr/bin:/bin:/usr/local/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The last non-empty line of the tool's output, printable characters only.
    private static func lastLine(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return String(String.UnicodeScalarView(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200)))
    }
}
