import Foundation
import GitKit
@testable import SigitCore
import SSHSig
import TestSupport

/// Writes commits in process (libgit2 through GitKit, SSHSIG through SSHSig), with controllable committer times.
final class HistoryWriter {
    let repo: Repository
    let cast: ModelCast
    /// Committer time of the last commit; each commit adds `step` (monotone).
    var time: Int64 = 1_780_000_000
    var step: Int64 = 60
    /// The cast key an identity signs with when not its own (section 8: bob signs with his second key once his first
    /// was revoked as compromised, in some histories).
    var signingKey: [String: String] = [:]
    /// Every commit written, with a one-line description (for the printed history).
    private(set) var log: [(ObjectID, String)] = []

    init(repo: Repository, cast: ModelCast) {
        self.repo = repo
        self.cast = cast
    }

    /// Who signs: an identity of the cast, a key outside the policy, nobody, or one of the cast's FIDO
    /// authenticators (by index) for erin, with these flags, in a WebAuthn assertion or a plain sk signature.
    enum Signer: Equatable {
        case identity(String)
        case hosting
        case unsigned
        case authenticator(Int, flags: UInt8, webauthn: Bool)
    }
    /// The last counter each authenticator signed with (rising, as a real authenticator's).
    private var counters: [Int: UInt32] = [:]

    /// The message sigit writes: subject, blank line, trailer block.
    static func message(_ subject: String, _ trailers: EventTrailers?) -> String {
        guard let trailers else { return subject + "\n" }
        return subject + "\n\n" + trailers.lines().joined(separator: "\n") + "\n"
    }

    static func trailers(_ action: Action, _ who: String, _ agreement: String? = nil, digest: String? = nil, step: String? = nil) -> EventTrailers {
        var t = EventTrailers()
        t.version = "1"
        t.action = action
        t.agreement = agreement
        t.identity = who
        t.digest = digest
        t.step = step
        return t
    }

    /// Writes one commit; `armor` may rewrite the armored signature (attacks).
    @discardableResult
    func commit(_ signer: Signer, tree: ObjectID, parents: [ObjectID], message: String, note: String, armor: ((String) -> String)? = nil) throws -> ObjectID {
        time += step
        let name: String
        switch signer {
        case .identity(let who): name = who
        case .hosting: name = "hosting"
        case .unsigned: name = "someone"
        case .authenticator: name = ModelCast.invitee
        }
        let person = Signature(name: name, email: ModelCast.email(name), time: time, offsetMinutes: 0)
        let buffer = try repo.commitBuffer(tree: tree, parents: parents, author: person, committer: person, message: message)
        let key: SSHPrivateKey?
        switch signer {
        case .identity(let who): key = cast.keys[signingKey[who] ?? who]
        case .hosting: key = cast.hosting
        case .unsigned, .authenticator: key = nil
        }
        var id: ObjectID
        if case .authenticator(let index, let flags, let webauthn) = signer, cast.authenticators.indices.contains(index) {
            let counter = (counters[index] ?? 0) + 1
            counters[index] = counter
            var armored = try cast.authenticators[index].armored(buffer, flags: flags, counter: counter,
                                                                  webauthn: webauthn ? .init(origin: ModelCast.origin) : nil)
            if let armor { armored = armor(armored) }
            id = try repo.createCommit(buffer: buffer, signature: armored)
        } else if let key {
            var armored = try SSHSignature.sign(buffer, namespace: "git", hashAlgorithm: "sha512", with: key).armored
            if let armor { armored = armor(armored) }
            id = try repo.createCommit(buffer: buffer, signature: armored)
        } else {
            id = try repo.createCommit(buffer: buffer, signature: nil)
        }
        log.append((id, "\(id.hex.prefix(8)) \(note)"))
        return id
    }

    /// A byte-copy of signed commit `id` whose armor is re-encoded by `armor`: a new commit id, the same signed payload.
    func copy(_ id: ObjectID, note: String, armor: (String) -> String) throws -> ObjectID? {
        guard let (signature, payload) = try repo.signedPayload(of: id) else { return nil }
        let copy = try repo.createCommit(buffer: payload, signature: armor(signature))
        log.append((copy, "\(copy.hex.prefix(8)) \(note)"))
        return copy
    }

    /// Tree of a commit with `updates` applied.
    func tree(_ base: ObjectID, _ updates: [TreeUpdate]) throws -> ObjectID {
        try repo.updatedTree(base: try repo.commit(base).tree, updates)
    }

    func blob(_ text: String) throws -> ObjectID { try repo.writeBlob(Data(text.utf8)) }
}
