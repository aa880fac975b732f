import Foundation
import GitKit
import SSHSig

/// A sigit repository opened for one command: reads derive state from history, writes check before they commit.
public final class Workspace {
    /// The git repository.
    public let repo: Repository
    /// The process environment (HOME, SSH_AUTH_SOCK, SIGIT_*).
    public let environment: [String: String]
    /// The `--key` option, if given.
    public let keyOption: String?
    /// Whether walks use the signature cache under `.git/sigit/cache/` (off with SIGIT_NO_CACHE=1 or `verify --no-cache`).
    public var useCache: Bool
    /// Whether walks that need only the state may start from the snapshot in `.git/sigit/cache/state-v2` (status,
    /// inbox and the agreement verbs turn it on; it also needs `keepsEntries` off and the cache on).
    public var useSnapshot = false
    /// Whether walks list every event (`Ledger.Result.entries`); verify and status turn it off to save memory.
    public var keepsEntries = true
    /// Called during long walks with (commits done, commits in all, seconds so far); the CLI draws it on a terminal.
    public var progress: (@Sendable (Int, Int, TimeInterval) -> Void)?
    /// Called with a one-line notice the user should see once (a trust root pinned on first use); the CLI prints it
    /// on standard error.
    public var notice: ((String) -> Void)?
    /// How many times a write is rebuilt when another process moved the branch first.
    static let attempts = 5

    /// How many commits a walk may judge on top of the state snapshot before the snapshot is written anew.
    static let snapshotLag = 64

    /// Opens the repository containing `path`.
    public init(path: String, keyOption: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        do {
            repo = try Repository.open(path)
        } catch let error as GitError {
            throw SigitError.repository("\(path) is not inside a git repository (\(error.message)); run git init first")
        }
        self.environment = environment
        self.keyOption = keyOption
        useCache = environment["SIGIT_NO_CACHE"] != "1"
    }

    /// A workspace on an already open repository (a pre-receive hook opens it from git's environment).
    public init(repository: Repository, environment: [String: String] = ProcessInfo.processInfo.environment) {
        repo = repository
        self.environment = environment
        keyOption = nil
        useCache = false  // a hook's view of the repository (quarantine) is not the repository's: no cache
    }

    /// The branch HEAD names; refuses a detached HEAD, where a new commit would be lost.
    public func branch() throws -> String {
        let name = try repo.headReferenceName()
        guard name != "HEAD" else {
            throw SigitError.repository("HEAD is detached; check out a branch (git switch main) before sigit writes an event")
        }
        return name
    }

    /// The commit HEAD points to; nil on an unborn branch.
    public func head() throws -> ObjectID? {
        let name = try repo.headReferenceName()
        if name == "HEAD" { return try repo.revparse("HEAD") }
        return try repo.resolveReference(name)
    }

    /// Verifies history up to `tip` (default HEAD) and checks the pinned trust root.
    public func ledger(tip: ObjectID? = nil, hiding: [ObjectID] = []) throws -> Ledger.Result {
        guard let tip = try tip ?? head() else {
            throw SigitError.repository("the branch has no commits yet; run sigit init first")
        }
        let ledger = Ledger(repository: repo)
        if useCache { ledger.signatureCache = SignatureCache(gitDir: repo.gitDir) }
        ledger.progress = progress
        ledger.keepsEntries = keepsEntries
        // The state snapshot serves callers that need the state only (no findings or events of older commits).
        let store = useCache && useSnapshot && !keepsEntries && hiding.isEmpty ? StateStore(gitDir: repo.gitDir) : nil
        let snapshot = store?.load()
        let resumed = try snapshot.flatMap { try ledger.resume(from: $0, tip: tip) }
        let result = try resumed ?? ledger.run(tip: tip, hiding: hiding)
        try Self.requireSigit(result, pinned: try repo.configString("sigit.root"))
        try checkRoot(result.state)
        // Writing the snapshot costs about as much as reading it: refresh it after a whole walk, or once the commits
        // judged on top of it are many, not after every new commit.
        if let store, snapshot?.tip != tip, result.state.policy != nil, (resumed?.checked ?? Int.max) >= Self.snapshotLag {
            store.save(StateSnapshot(tip: tip, orderEnd: result.orderEnd, state: result.state))
        }
        return result
    }

    /// The state at HEAD, requiring a sigit repository.
    public func state() throws -> (tip: ObjectID, result: Ledger.Result) {
        guard let tip = try head() else {
            throw SigitError.repository("the branch has no commits yet; run sigit init first")
        }
        let result = try ledger(tip: tip)
        guard result.state.policy != nil else {
            throw SigitError.repository("this is not a sigit repository (no valid .sigit/policy.yml in its history); run sigit init")
        }
        return (tip, result)
    }

    /// Refuses a history that is not a sigit history: no trust root (a valid init event) is reachable and no rule
    /// was broken on the way (a broken trust root is a violation `verify` reports, not this). A history that has
    /// none while this clone pinned one (git config `sigit.root`) is refused the same way.
    static func requireSigit(_ result: Ledger.Result, pinned: String?) throws {
        guard result.state.root == nil, !result.findings.contains(where: { $0.severity == .violation }) else { return }
        if let pinned, !pinned.isEmpty {
            throw SigitError.repository("not a sigit repository: no init commit in this history, but this clone pinned the trust root \(pinned) (git config sigit.root); investigate before trusting it")
        }
        throw SigitError.repository("not a sigit repository (no init commit in HEAD's history); run sigit init")
    }

    /// Compares the trust root with the one pinned in git config `sigit.root`; pins it on first use of a clone.
    func checkRoot(_ state: RepositoryState) throws {
        guard let root = state.root else { return }
        let pinned = try repo.configString("sigit.root")
        if let pinned, !pinned.isEmpty {
            guard pinned == root.hex else {
                throw SigitError.repository("history replaced: this history's trust root is \(root.hex) but this clone pinned \(pinned) (git config sigit.root); investigate before trusting it, and only then unset sigit.root")
            }
            healAllowedSignersFile()
            return
        }
        try pin(root)
        notice?("trusting root \(root.hex) (first use; pinned in git config sigit.root)")
    }

    /// The `gpg.ssh.allowedSignersFile` sigit sets: relative, so it names this clone's file wherever the clone is
    /// moved (git runs from the top of the working tree, also when started in a subdirectory).
    static let allowedSignersConfig = ".sigit/allowed_signers"

    /// Pins the trust root and points git at `.sigit/allowed_signers` so `git log --show-signature` works.
    func pin(_ root: ObjectID) throws {
        try repo.setLocalConfig("sigit.root", root.hex)
        try repo.setLocalConfig("gpg.format", "ssh")
        if repo.workdir != nil {
            try repo.setLocalConfig("gpg.ssh.allowedSignersFile", Self.allowedSignersConfig)
        }
    }

    /// Replaces the absolute `gpg.ssh.allowedSignersFile` an older `sigit init` wrote into this clone's own config by
    /// the relative path, when it names this clone's file or a file that no longer exists (the clone was moved). A
    /// path set elsewhere (global or system config), or naming another existing file, is someone's choice and is
    /// left alone; a config that cannot be written is left as it is (a read verb never fails on it).
    func healAllowedSignersFile() {
        guard let workdir = repo.workdir, let value = try? repo.localConfigString("gpg.ssh.allowedSignersFile"),
              value.hasPrefix("/"), value.hasSuffix("/" + Self.allowedSignersConfig) else { return }
        let own = (workdir.hasSuffix("/") ? workdir : workdir + "/") + Self.allowedSignersConfig
        guard value == own || !FileManager.default.fileExists(atPath: value) else { return }
        try? repo.setLocalConfig("gpg.ssh.allowedSignersFile", Self.allowedSignersConfig)
    }

    /// The signer from `--key`, `SIGIT_SIGNING_KEY`, git config `user.signingkey` or the default files under `~/.ssh/`.
    public func signer() throws -> any SSHSigner {
        try SigningKey.resolve(option: keyOption, environment: environment, gitConfig: try repo.configString("user.signingkey"))
    }

    /// A git config value of the repository (its own config, then the global ones), nil when unset.
    public func configValue(_ name: String) throws -> String? { try repo.configString(name) }

    /// The public half of the configured key, found without ssh-agent or a passphrase (read verbs need no more).
    public func publicKey() throws -> SSHPublicKey {
        try SigningKey.publicKey(option: keyOption, environment: environment, gitConfig: try repo.configString("user.signingkey"))
    }

    /// "Me": the identity of the configured key in `policy`, usable at `time` (not revoked, inside its window).
    public func me(in policy: Policy, at time: Date = Date()) throws -> Identity {
        try policy.identity(signingWith: try publicKey(), at: time)
    }

    /// The identity that owns the signing key in the policy in force, usable now.
    func identity(of signer: any SSHSigner, in policy: Policy) throws -> Identity {
        try policy.identity(signingWith: signer.publicKey, at: Date())
    }
}
