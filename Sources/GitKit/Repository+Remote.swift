import Foundation
internal import CLibgit2

extension Repository {
    /// The names of the configured remotes, e.g. ["origin"].
    public func remoteNames() throws -> [String] {
        var list = git_strarray()
        try GitError.check(git_remote_list(&list, pointer), "list the remotes")
        defer { git_strarray_dispose(&list) }
        return (0..<list.count).compactMap { list.strings[$0].map { CString.decode($0) } }
    }

    /// The URL of remote `name`, nil when there is no such remote.
    public func remoteURL(_ name: String) throws -> String? {
        var remote: OpaquePointer?
        let result = git_remote_lookup(&remote, pointer, name)
        if GitError.isNotFound(result) || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try GitError.check(result, "look up remote \(name)")
        defer { git_remote_free(remote) }
        return git_remote_url(remote).map { CString.decode($0) }
    }

    /// Fetches `refspecs` from `remote` (a configured remote's name, or a URL or path), like
    /// `git fetch REMOTE REFSPEC...`. Tags are not followed; nothing else is updated.
    public func fetch(remote: String, refspecs: [String], credentials: RemoteCredentials = RemoteCredentials()) throws -> RemoteReport {
        let session = RemoteSession(credentials: credentials)
        let handle = try openRemote(remote)
        defer { git_remote_free(handle) }
        var options = git_fetch_options()
        try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "prepare to fetch")
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.prune = GIT_FETCH_NO_PRUNE
        let payload = Unmanaged.passUnretained(session).toOpaque()
        session.install(into: &options.callbacks, payload: payload)
        let result = CString.withStrarray(refspecs) { specs in
            withExtendedLifetime(session) { git_remote_fetch(handle, specs, &options, "sigit: fetch") }
        }
        try session.check(result, "fetch from \(remote)")
        return session.report
    }

    /// Pushes `refspecs` to `remote` (a configured remote's name, or a URL or path), like
    /// `git push REMOTE REFSPEC...`. A reference the remote refuses (not a fast-forward, declined by a
    /// hook) is reported in `RemoteReport.rejected`, not thrown; transport failures throw.
    public func push(remote: String, refspecs: [String], credentials: RemoteCredentials = RemoteCredentials()) throws -> RemoteReport {
        let session = RemoteSession(credentials: credentials)
        let handle = try openRemote(remote)
        defer { git_remote_free(handle) }
        var options = git_push_options()
        try GitError.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare to push")
        let payload = Unmanaged.passUnretained(session).toOpaque()
        session.install(into: &options.callbacks, payload: payload)
        let result = CString.withStrarray(refspecs) { specs in
            withExtendedLifetime(session) { git_remote_push(handle, specs, &options) }
        }
        try session.check(result, "push to \(remote)")
        return session.report
    }

    /// Looks up a named remote, or makes an anonymous one for a URL or path.
    private func openRemote(_ remote: String) throws -> OpaquePointer? {
        var handle: OpaquePointer?
        let result = git_remote_lookup(&handle, pointer, remote)
        if result == 0 { return handle }
        guard GitError.isNotFound(result) || result == GIT_EINVALIDSPEC.rawValue else {
            try GitError.check(result, "look up remote \(remote)")
            return nil
        }
        git_error_clear()
        guard remote.contains("/") || remote.contains(":") else {
            throw GitError(code: .notFound, operation: "open remote \(remote)",
                           message: "no remote named \(remote) (git remote -v lists them)")
        }
        try GitError.check(git_remote_create_anonymous(&handle, pointer, remote), "open remote \(remote)")
        return handle
    }
}

/// The state the callbacks of one fetch or push share through libgit2's payload pointer.
private final class RemoteSession {
    let credentials: RemoteCredentials
    var report = RemoteReport()
    /// Text received on the sideband that does not end in a newline yet.
    var pending = ""
    /// How many times libgit2 asked for credentials; capped so a refused key cannot loop forever.
    var attempts = 0
    /// Whether the agent's keys and the key file were offered. Each is offered once: a key the server refused is
    /// refused again, and every refusal counts towards the server's limit (sshd's MaxAuthTries hangs up on the third
    /// by default, leaving libgit2 to report "Failed getting response" instead of the refusal).
    var offeredAgent = false
    var offeredKey = false

    init(credentials: RemoteCredentials) {
        self.credentials = credentials
    }

    /// Points the callbacks of `callbacks` at this session.
    func install(into callbacks: inout git_remote_callbacks, payload: UnsafeMutableRawPointer) {
        callbacks.payload = payload
        callbacks.sideband_progress = { text, length, payload in
            guard let text, let payload, length > 0 else { return 0 }
            let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
            Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue().receive(String(decoding: bytes, as: UTF8.self))
            return 0
        }
        callbacks.push_update_reference = { name, status, payload in
            guard let name, let status, let payload else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.report.rejected[CString.decode(name)] = CString.decode(status)
            return 0
        }
        callbacks.credentials = { out, _, username, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
                .credential(out, username: username.map { CString.decode($0) } ?? "git", allowed: allowed)
        }
    }

    /// Splits sideband text into lines; a carriage return (progress redrawn in place) keeps the last state.
    func receive(_ text: String) {
        pending += text
        while let end = pending.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) {
            let line = String(pending[..<end])
            pending = String(pending[pending.index(after: end)...])
            let shown = line.split(separator: "\r", omittingEmptySubsequences: true).last.map(String.init) ?? ""
            if !shown.trimmingCharacters(in: .whitespaces).isEmpty { report.messages.append(shown) }
        }
    }

    /// The ssh-agent first, then the key file, each once; at most three requests in all. When nothing is left to
    /// offer, fails with a message naming what the server refused (libgit2 itself sets none).
    func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, username: String, allowed: UInt32) -> Int32 {
        attempts += 1
        guard attempts <= 3 else { return refused(username) }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, username)
        }
        guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
        if credentials.useAgent && !offeredAgent && Self.agentListening() {
            offeredAgent = true
            return git_credential_ssh_key_from_agent(out, username)
        }
        guard let key = credentials.privateKeyPath, !offeredKey else { return refused(username) }
        offeredKey = true
        let publicKey = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
        return git_credential_ssh_key_new(out, username, publicKey, key, nil)
    }

    /// True when SSH_AUTH_SOCK names a socket something listens on. libgit2 fails the whole connection when it
    /// cannot reach the agent (it does not go on to the key file), as with a socket left by an ended session.
    static func agentListening() -> Bool {
        guard let path = ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"], !path.isEmpty else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// Sets the error libgit2 reports when the credential callback gives up, and returns GIT_EAUTH.
    func refused(_ username: String) -> Int32 {
        var offered: [String] = []
        if offeredAgent { offered.append("the keys of the ssh-agent (SSH_AUTH_SOCK)") }
        if offeredKey, let key = credentials.privateKeyPath { offered.append("the key \(key)") }
        let message = offered.isEmpty
            ? "ssh authentication as \(username) needs a key: no ssh-agent (SSH_AUTH_SOCK) and no key file"
            : "ssh authentication as \(username) failed: the server refused \(offered.joined(separator: " and "))"
        git_error_set_str(Int32(GIT_ERROR_SSH.rawValue), message)
        return GIT_EAUTH.rawValue
    }

    /// Throws the transport error, flushing the server's last words into the message first.
    func check(_ result: Int32, _ operation: String) throws {
        if !pending.isEmpty { receive("\n") }
        guard result < 0 else { return }
        let error = GitError.last(result, operation)
        guard !report.messages.isEmpty else { throw error }
        throw GitError(code: error.code, operation: operation,
                       message: error.message + " (remote said: " + report.messages.suffix(3).joined(separator: " / ") + ")")
    }
}
