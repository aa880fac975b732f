/// Where a channel's settings come from: the environment first, then git config (like git itself).
struct ChannelSettings {
    let environment: [String: String]
    let config: (String) -> String?

    /// The value of environment variable `env`, else of git config `key`; empty values count as unset.
    func value(env: String?, key: String?) -> String? {
        if let env, let value = environment[env], !value.isEmpty { return value }
        if let key, let value = config(key), !value.isEmpty { return value }
        return nil
    }

    /// The value of environment variable `env` only: secrets are never read from git config.
    func secret(env: String) -> String? {
        guard let value = environment[env], !value.isEmpty else { return nil }
        return value
    }

    /// Whether git config `key` holds something; used to refuse secrets put in the repository.
    func isConfigured(_ key: String) -> Bool {
        guard let value = config(key) else { return false }
        return !value.isEmpty
    }
}
