internal import CLibgit2

extension Repository {
    /// The value of configuration `name` as git sees it from this repository (local, global, system); nil when unset.
    public func configString(_ name: String) throws -> String? {
        var config: OpaquePointer?
        try GitError.check(git_repository_config_snapshot(&config, pointer), "read git config")
        defer { git_config_free(config) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_config_get_string_buf(&buffer, config, name)
        if GitError.isNotFound(result) {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "read git config \(name)")
        return CString.decode(buffer)
    }

    /// The value of configuration `name` in this repository's own config file (`.git/config`) only; nil when unset there.
    public func localConfigString(_ name: String) throws -> String? {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, pointer), "open git config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        let opened = git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL)
        if GitError.isNotFound(opened) {
            git_error_clear()
            return nil
        }
        try GitError.check(opened, "open the repository's git config")
        defer { git_config_free(local) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_config_get_string_buf(&buffer, local, name)
        if GitError.isNotFound(result) {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "read git config \(name)")
        return CString.decode(buffer)
    }

    /// Sets configuration `name` in this repository's own config file (`.git/config`).
    public func setLocalConfig(_ name: String, _ value: String) throws {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, pointer), "open git config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try GitError.check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "open the repository's git config")
        defer { git_config_free(local) }
        try GitError.check(git_config_set_string(local, name, value), "set git config \(name)")
    }
}
