import Foundation
import SSHSig

/// Finds the key that signs sigit's commits, in git's order (DESIGN.md, CLI contract).
public enum SigningKey {
    /// Where the key came from, for error messages.
    public enum Source: String, Sendable {
        case option = "--key"
        case environment = "SIGIT_SIGNING_KEY"
        case gitConfig = "git config user.signingkey"
        case defaultFile = "~/.ssh/id_ed25519"
    }

    /// Resolves the signer: `--key`, `SIGIT_SIGNING_KEY`, git config `user.signingkey`, `~/.ssh/id_ed25519`.
    ///
    /// A value is a private key file, a public key file or `key::<public key>` (the key is held by ssh-agent),
    /// or a public key line. Encrypted private key files sign through ssh-agent when their `.pub` is beside them.
    public static func resolve(option: String?, environment: [String: String], gitConfig: String?) throws -> any SSHSigner {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let candidates: [(String?, Source)] = [
            (option, .option), (environment["SIGIT_SIGNING_KEY"], .environment), (gitConfig, .gitConfig),
        ]
        for (value, source) in candidates {
            guard let value, !value.isEmpty else { continue }
            return try signer(for: value, source: source, environment: environment, home: home)
        }
        let fallback = home + "/.ssh/id_ed25519"
        guard FileManager.default.fileExists(atPath: fallback) else {
            throw SigitError.key("no signing key: pass --key PATH, set SIGIT_SIGNING_KEY or git config user.signingkey, or create ~/.ssh/id_ed25519 (ssh-keygen -t ed25519)")
        }
        return try signer(for: fallback, source: .defaultFile, environment: environment, home: home)
    }

    /// The signer for one configured value.
    static func signer(for value: String, source: Source, environment: [String: String], home: String) throws -> any SSHSigner {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("key::") {
            return try agentSigner(publicKey: try parsePublic(String(trimmed.dropFirst(5)), source), environment: environment, source: source)
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-") {
            return try agentSigner(publicKey: try parsePublic(trimmed, source), environment: environment, source: source)
        }
        let path = trimmed.hasPrefix("~/") ? home + trimmed.dropFirst(1) : trimmed
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SigitError.key("cannot read the signing key \(path) (from \(source.rawValue))")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            let key: SSHPrivateKey
            do {
                key = try SSHPrivateKey(openSSH: text)
            } catch {
                guard error == .encryptedPrivateKey else {
                    throw SigitError.key("cannot use the signing key \(path): \(error)")
                }
                // Encrypted: sign through ssh-agent with the public half beside it.
                guard let pub = FileManager.default.contents(atPath: path + ".pub") else {
                    throw SigitError.key("the signing key \(path) is encrypted; add it to ssh-agent (ssh-add \(path)) and keep \(path).pub beside it")
                }
                return try agentSigner(publicKey: try parsePublic(String(decoding: pub, as: UTF8.self), source), environment: environment, source: source)
            }
            return key
        }
        if text.contains("PRIVATE KEY-----") {
            throw SigitError.key("the signing key \(path) is not in the OpenSSH format; convert it with ssh-keygen -p -f \(path) or use an ed25519 key")
        }
        // A public key file: the private half lives in ssh-agent.
        return try agentSigner(publicKey: try parsePublic(text, source), environment: environment, source: source)
    }

    private static func parsePublic(_ text: String, _ source: Source) throws -> SSHPublicKey {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        do {
            return try SSHPublicKey(openSSH: line)
        } catch {
            throw SigitError.key("the signing key from \(source.rawValue) is neither a private key file nor a public key: \(error)")
        }
    }

    private static func agentSigner(publicKey: SSHPublicKey, environment: [String: String], source: Source) throws -> any SSHSigner {
        do {
            return try SSHAgentSigner(environment: environment, publicKey: publicKey)
        } catch {
            throw SigitError.key("the signing key \(publicKey.fingerprint) (from \(source.rawValue)) must sign through ssh-agent: \(error)")
        }
    }
}
