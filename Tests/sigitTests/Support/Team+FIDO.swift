import Foundation
import Testing

extension Team {
    /// Adds identity `name` (email `<name>@example.com`) with `authenticator`'s key to role legal, then commits its
    /// approval of nda-1's legal-review step signed by that authenticator with `flags` and `counter` (a WebAuthn
    /// signature from `origin` when given). Returns the commit id.
    @discardableResult
    func fidoApprove(_ name: String, _ authenticator: SoftwareAuthenticator, flags: UInt8, counter: UInt32, origin: String? = nil) throws -> String {
        let pub = sandbox.path("keys/\(name).pub")
        try (authenticator.publicKeyLine + " \(name)@token\n").write(toFile: pub, atomically: true, encoding: .utf8)
        try sigit("alice", "identity", "add", name, "--email", "\(name)@example.com", "--public-key", pub).check()
        try sigit("alice", "role", "add", "legal", name).check()
        let tree = try git("rev-parse", "HEAD^{tree}").check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = Int(Date().timeIntervalSince1970)
        let message = "approve nda-1 (step legal-review)\n\n"
            + trailers("approve", identity: name, digest: try digest("nda-1"), step: "legal-review") + "\n"
        let head = "tree \(tree)\nparent \(try tip())\nauthor \(name) <\(name)@example.com> \(now) +0000\ncommitter \(name) <\(name)@example.com> \(now) +0000\n"
        let armored = try authenticator.armored(Data((head + "\n" + message).utf8), flags: flags, counter: counter,
                                                webauthn: origin.map { .init(origin: $0) })
        let gpgsig = "gpgsig " + armored.dropLast().replacingOccurrences(of: "\n", with: "\n ") + "\n"
        let object = sandbox.path("fido-commit-\(name)")
        try (head + gpgsig + "\n" + message).write(toFile: object, atomically: true, encoding: .utf8)
        let id = try git("hash-object", "-t", "commit", "-w", object).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try git("reset", "-q", "--soft", id).check()
        return id
    }
}
