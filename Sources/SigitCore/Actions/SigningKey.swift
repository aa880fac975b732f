import Foundation
import SSHSig

/// Finds the key that signs sigit's commits, in git's order (DESIGN.md, CLI contract), and the public half
/// that tells read verbs who "me" is.
public enum SigningKey {
    /// Where the key came from, for error messages.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// The global `--key` option.
        case option
        /// The `SIGIT_SIGNING_KEY` environment variable.
        case environment
        /// git config `user.signingkey`.
        case gitConfig
        /// One of the files ssh looks for under `~/.ssh/`.
        case defaultFile(String)

        /// The name a user recognises.
        public var description: String {
            switch self {
            case .option: return "--key"
            case .environment: return "SIGIT_SIGNING_KEY"
            case .gitConfig: return "git config user.signingkey"
            case .defaultFile(let path): return path
            }
        }
    }

    /// The key files ssh and git look for, in their order, under `~/.ssh/`.
    public static let defaultFiles = ["id_ed25519", "id_ecdsa", "id_ecdsa_sk", "id_ed25519_sk", "id_rsa"]

    /// A configured key, read as far as possible without a passphrase or ssh-agent.
    enum Located {
        /// A public key only (`key::` line, a public key line or a `.pub` file); `privateFile` is the private key
        /// file beside a `.pub`, when there is one.
        case publicKey(SSHPublicKey, privateFile: String?)
        /// An `openssh-key-v1` private key file: its path, header and text.
        case privateFile(String, SSHPrivateKeyFile, text: String)
        /// A private key file in an older format (PEM); `publicKey` is read from the `.pub` beside it.
        case legacyPrivateFile(String, publicKey: SSHPublicKey?)
    }

    /// Resolves the signer: `--key`, `SIGIT_SIGNING_KEY`, git config `user.signingkey`, then the first of
    /// `~/.ssh/id_ed25519`, `id_ecdsa`, `id_ecdsa_sk`, `id_ed25519_sk`, `id_rsa` that exists.
    ///
    /// Unencrypted ed25519, ECDSA P-256 and RSA files sign natively; a key held by ssh-agent signs through it;
    /// an encrypted file or a FIDO key that no agent holds signs through `ssh-keygen -Y sign`.
    public static func resolve(option: String?, environment: [String: String], gitConfig: String?) throws -> any SSHSigner {
        let (value, source) = try locate(option: option, environment: environment, gitConfig: gitConfig)
        return try signer(for: try read(value, source: source, environment: environment), source: source, environment: environment)
    }

    /// The public half of the configured key, found in the same order as `resolve`, without ssh-agent or a passphrase.
    public static func publicKey(option: String?, environment: [String: String], gitConfig: String?) throws -> SSHPublicKey {
        let (value, source) = try locate(option: option, environment: environment, gitConfig: gitConfig)
        switch try read(value, source: source, environment: environment) {
        case .publicKey(let key, _):
            return key
        case .privateFile(let path, let file, _):
            return try publicKey(of: file, path: path)
        case .legacyPrivateFile(let path, let key):
            guard let key else { throw legacyWithoutPublic(path) }
            return key
        }
    }

    /// The first configured value and its source; the error names every place looked at.
    static func locate(option: String?, environment: [String: String], gitConfig: String?) throws -> (String, Source) {
        let candidates: [(String?, Source)] = [(option, .option), (environment["SIGIT_SIGNING_KEY"], .environment), (gitConfig, .gitConfig)]
        for (value, source) in candidates {
            if let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return (value, source) }
        }
        let home = self.home(environment)
        for name in defaultFiles {
            let path = home + "/.ssh/" + name
            if FileManager.default.fileExists(atPath: path) { return (path, .defaultFile("~/.ssh/" + name)) }
        }
        let files = defaultFiles.map { "~/.ssh/" + $0 }.joined(separator: ", ")
        throw SigitError.key("no signing key: pass --key PATH, set SIGIT_SIGNING_KEY or git config user.signingkey, or create one of \(files) (ssh-keygen -t ed25519)")
    }

    /// Reads one configured value: `key::<public key>`, a public key line, or a key file (`~/` expands to HOME).
    static func read(_ value: String, source: Source, environment: [String: String]) throws -> Located {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("key::") {
            return .publicKey(try parsePublic(String(trimmed.dropFirst(5)), source), privateFile: nil)
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-") || trimmed.hasPrefix("sk-") {
            return .publicKey(try parsePublic(trimmed, source), privateFile: nil)
        }
        let path = expand(trimmed, home: home(environment))
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SigitError.key("cannot read the signing key \(path) (from \(source))")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            do {
                return .privateFile(path, try SSHPrivateKeyFile(openSSH: text), text: text)
            } catch {
                throw SigitError.key("cannot use the signing key \(path) (from \(source)): \(error)")
            }
        }
        if text.contains("PRIVATE KEY-----") {
            let pub = FileManager.default.contents(atPath: path + ".pub").map { String(decoding: $0, as: UTF8.self) }
            return .legacyPrivateFile(path, publicKey: try pub.map { try parsePublic($0, source) })
        }
        // A public key file: the private half lives in ssh-agent, or in the file beside it without `.pub`.
        let key = try parsePublic(text, source)
        let beside = path.hasSuffix(".pub") ? String(path.dropLast(4)) : nil
        return .publicKey(key, privateFile: beside.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil })
    }

    /// The signer for a located key.
    static func signer(for located: Located, source: Source, environment: [String: String]) throws -> any SSHSigner {
        switch located {
        case .publicKey(let key, let privateFile):
            if let agent = try? SSHAgentSigner(environment: environment, publicKey: key) { return agent }
            if let privateFile {
                let beside = try read(privateFile, source: source, environment: environment)
                if case .privateFile(let path, let file, _) = beside {
                    // The key that signs must be the key the .pub names (the one read verbs call "me").
                    guard try publicKey(of: file, path: path) == key else {
                        throw SigitError.key("the signing key \(path) is not the key of \(path).pub (\(key.fingerprint)); fix the pair or add the key to ssh-agent")
                    }
                    return try signer(for: beside, source: source, environment: environment)
                }
            }
            return try agentSigner(publicKey: key, environment: environment, source: source)
        case .privateFile(let path, let file, let text):
            let key = try publicKey(of: file, path: path)
            if !file.isEncrypted, !file.isSecurityKey {
                do {
                    return try SSHPrivateKey(openSSH: text)
                } catch {
                    throw SigitError.key("cannot use the signing key \(path) (from \(source)): \(error)")
                }
            }
            if let agent = try? SSHAgentSigner(environment: environment, publicKey: key) { return agent }
            return SSHKeygenSigner(keyPath: path, publicKey: key, needsPassphrase: file.isEncrypted, environment: environment)
        case .legacyPrivateFile(let path, let key):
            guard let key else { throw legacyWithoutPublic(path) }
            if let agent = try? SSHAgentSigner(environment: environment, publicKey: key) { return agent }
            return SSHKeygenSigner(keyPath: path, publicKey: key, needsPassphrase: true, environment: environment)
        }
    }

    /// The public key of a private key file, or why sigit cannot use its type.
    private static func publicKey(of file: SSHPrivateKeyFile, path: String) throws -> SSHPublicKey {
        do {
            return try file.publicKey()
        } catch {
            throw SigitError.key("cannot use the signing key \(path): \(error)")
        }
    }

    private static func legacyWithoutPublic(_ path: String) -> SigitError {
        .key("the signing key \(path) is not in the OpenSSH format and has no \(path).pub beside it; convert it with ssh-keygen -p -f \(path), or write the public half with ssh-keygen -y -f \(path) > \(path).pub")
    }

    private static func parsePublic(_ text: String, _ source: Source) throws -> SSHPublicKey {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        do {
            return try SSHPublicKey(openSSH: line)
        } catch {
            throw SigitError.key("the signing key from \(source) is neither a private key file nor a public key: \(error)")
        }
    }

    private static func agentSigner(publicKey: SSHPublicKey, environment: [String: String], source: Source) throws -> any SSHSigner {
        do {
            return try SSHAgentSigner(environment: environment, publicKey: publicKey)
        } catch {
            throw SigitError.key("the signing key \(publicKey.fingerprint) (from \(source)) must sign through ssh-agent: \(error)")
        }
    }

    /// HOME from the environment, as ssh and git read it.
    private static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    /// `~` and `~/...` expand to HOME, as git expands paths in its config.
    private static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}
