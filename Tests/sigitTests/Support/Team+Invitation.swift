import Foundation
import SigitCore
import SSHSig
import Testing

extension Team {
    /// The origin the tests' passkeys sign for, and its relying-party id (the passkey's application).
    static let passkeyOrigin = "http://localhost:8080"
    static let relyingParty = "localhost"

    /// `sigit invite` of `name` for `agreement` by alice into an outbox; returns the secret taken from the mail.
    func invite(_ name: String, agreement: String = "nda-2", step: String? = "signatures", expires: String = "7d") throws -> String {
        var args = ["invite", agreement, "--name", name, "--email", "\(name)@acme.example", "--display-name", "\(name.capitalized) Acme",
                    "--expires", expires, "--channel", "outbox:" + sandbox.path("outbox-\(name)")]
        if let step { args += ["--step", step] }
        try sigit("alice", args).check()
        let files = try FileManager.default.contentsOfDirectory(atPath: sandbox.path("outbox-\(name)")).filter { $0.hasSuffix(".eml") }.sorted()
        let mail = try String(contentsOfFile: sandbox.path("outbox-\(name)/\(try #require(files.last))"), encoding: .utf8)
        let link = try #require(mail.split(whereSeparator: \.isNewline).first { $0.contains("/i/") }).trimmingCharacters(in: .whitespaces)
        return String(try #require(link.components(separatedBy: "/i/").last))
    }

    /// The workspace of the team repository (no signing key: the invitee's side signs with a passkey).
    func workspace() throws -> Workspace { try Workspace(path: sandbox.path(repo), keyOption: nil) }

    /// A passkey as a browser holds it: a P-256 authenticator bound to `relyingParty`.
    static func passkey(seed: UInt8) throws -> SoftwareAuthenticator {
        try SoftwareAuthenticator(kind: .p256, application: relyingParty, seed: Data(repeating: seed, count: 32))
    }

    /// Enrolls `passkey` through the same calls `sigit serve` makes; returns the commit.
    @discardableResult
    func enroll(secret: String, passkey: SoftwareAuthenticator, flags: UInt8 = 0x05, counter: UInt32 = 1) throws -> String {
        let workspace = try workspace()
        let prepared = try workspace.prepareEnrollment(secret: secret, key: try SSHPublicKey(blob: passkey.publicKeyBlob))
        let armored = try passkey.armored(prepared.payload, flags: flags, counter: counter, webauthn: .init(origin: Self.passkeyOrigin))
        return try workspace.complete(prepared, signature: armored).commit.hex
    }

    /// Approves (or declines with `reason`) as the invitee through the calls `sigit serve` makes; returns the commit.
    @discardableResult
    func decide(secret: String, passkey: SoftwareAuthenticator, approve: Bool = true, reason: String? = nil, flags: UInt8 = 0x05, counter: UInt32 = 2,
                agreement: String = "nda-2") throws -> String {
        let workspace = try workspace()
        let prepared = try workspace.prepareDecision(secret: secret, approve: approve, reason: reason, digest: try digest(agreement))
        let armored = try passkey.armored(prepared.payload, flags: flags, counter: counter, webauthn: .init(origin: Self.passkeyOrigin))
        return try workspace.complete(prepared, signature: armored).commit.hex
    }

    /// Commits, on HEAD, a hand-made event that writes `.sigit/policy.yml` (and allowed_signers) as `policy` says,
    /// with `message`, as `name <email>` at `time`, signed by `signature` over the commit's payload (nil: unsigned).
    @discardableResult
    func commitPolicy(_ policy: Policy, message: String, name: String, email: String, time: Int, signature: (Data) throws -> String?) throws -> String {
        let index = sandbox.path("hand-index")
        try? FileManager.default.removeItem(atPath: index)
        let env = ["GIT_INDEX_FILE": index]
        try git("read-tree", "HEAD", extra: env).check()
        for (path, data) in [(Policy.path, try policy.yaml()), (".sigit/allowed_signers", Data(policy.allowedSigners().utf8))] {
            let file = sandbox.path("hand-blob")
            try data.write(to: URL(fileURLWithPath: file))
            let blob = try git("hash-object", "-w", file).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try git("update-index", "--add", "--cacheinfo", "100644,\(blob),\(path)", extra: env).check()
        }
        let tree = try git("write-tree", extra: env).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return try commitObject(tree: tree, message: message, name: name, email: email, time: time, signature: signature)
    }

    /// Commits, on HEAD, a hand-made commit of `tree` (nil: HEAD's tree) and moves the branch to it.
    @discardableResult
    func commitObject(tree: String? = nil, message: String, name: String, email: String, time: Int, signature: (Data) throws -> String?) throws -> String {
        let tree = try tree ?? git("rev-parse", "HEAD^{tree}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = "tree \(tree)\nparent \(try tip())\nauthor \(name) <\(email)> \(time) +0000\ncommitter \(name) <\(email)> \(time) +0000\n"
        let payload = Data((head + "\n" + message).utf8)
        var object = head
        if let armored = try signature(payload) {
            object += "gpgsig " + armored.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\n ") + "\n"
        }
        object += "\n" + message
        let file = sandbox.path("hand-commit")
        try object.write(toFile: file, atomically: true, encoding: .utf8)
        let id = try git("hash-object", "-t", "commit", "-w", file).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try git("update-ref", "HEAD", id).check()
        return id
    }

    /// The policy in force at HEAD.
    func policyInForce() throws -> Policy {
        let (_, result) = try workspace().state()
        return try #require(result.state.policy)
    }
}
