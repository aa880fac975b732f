import Foundation
import SSHSig
import Testing
@testable import SigitCore

/// Spec section 4, *Who someone was*: an exported `allowed_signers` maps each key to the principal it had while it
/// was valid. `SignerWindow.all` over hand-made policy sequences (the end-to-end checks with stock git are in
/// `sigitTests.WhoSomeoneWasTests`).
@Suite("allowed_signers windows")
struct SignerWindowTests {
    static let keyA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0RYvHlUuTP9kPxiwTZN7wKsc4YauU6Uk75PsEXbLg7"
    static let keyB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPj+vmiEYHgtFwh5JphRergMne1TKOkX86PSiwQWlKkw"

    /// 2026-01-0N 00:00:00 UTC.
    static func day(_ n: Int) -> Date { Date(timeIntervalSince1970: 1_767_225_600 + TimeInterval(n - 1) * 86_400) }
    static func stamp(_ n: Int) -> String { RFC3339.compact(day(n)) }

    /// A policy of `serial` with the given identities: (id, email, key, valid-after, valid-before, revoked).
    static func policy(_ serial: Int, _ people: [(String, String, String, Date?, Date?, Bool)]) throws -> Policy {
        var identities: [String: Identity] = [:]
        for (id, email, key, after, before, revoked) in people {
            var identity = identities[id] ?? Identity(id: id, name: id, email: email, keys: [])
            identity.keys.append(PolicyKey(key: try SSHPublicKey(openSSH: key), validAfter: after, validBefore: before, revoked: revoked))
            identities[id] = identity
        }
        return Policy(serial: serial, identities: identities)
    }

    static func lines(_ sequence: [(Policy, Date)]) -> [String] { SignerWindow.all(sequence.map { ($0.0, $0.1) }).map(\.line) }

    @Test("a key whose listing never changes has one line with no window, however many policies follow")
    func unchanged() throws {
        let p1 = try Self.policy(1, [("alice", "alice@example.com", Self.keyA, nil, nil, false)])
        let p2 = try Self.policy(2, [("alice", "alice@example.com", Self.keyA, nil, nil, false), ("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        let p3 = try Self.policy(3, [("alice", "alice@example.com", Self.keyA, nil, nil, false), ("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(2)), (p3, Self.day(3))]) == [
            "alice@example.com namespaces=\"git\" \(Self.keyA)",
            "bob@example.com namespaces=\"git\" \(Self.keyB)",
        ])
    }

    @Test("an email change splits the key's window at the ratifying commit's time")
    func emailChange() throws {
        let p1 = try Self.policy(1, [("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        let p2 = try Self.policy(2, [("bob", "robert@example.org", Self.keyB, nil, nil, false)])
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(5))]) == [
            "bob@example.com namespaces=\"git\",valid-before=\"\(Self.stamp(5))\" \(Self.keyB)",
            "robert@example.org namespaces=\"git\",valid-after=\"\(Self.stamp(5))\" \(Self.keyB)",
        ])
    }

    @Test("a removed key's window ends at its removal; listing it again, or its id given to another key, opens nothing for it")
    func removedAndReused() throws {
        let p1 = try Self.policy(1, [("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        let p2 = try Self.policy(2, [])
        let p3 = try Self.policy(3, [("bob", "bob2@example.net", Self.keyA, nil, nil, false)])
        let p4 = try Self.policy(4, [("bob", "bob2@example.net", Self.keyA, nil, nil, false), ("carol", "carol@example.com", Self.keyB, nil, nil, false)])
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(2)), (p3, Self.day(3)), (p4, Self.day(4))]) == [
            "bob2@example.net namespaces=\"git\" \(Self.keyA)",
            "bob@example.com namespaces=\"git\",valid-before=\"\(Self.stamp(2))\" \(Self.keyB)",
        ])
    }

    @Test("a key moved to another identity maps to each email in its own window")
    func movedKey() throws {
        let p1 = try Self.policy(1, [("carol", "carol@example.com", Self.keyB, nil, nil, false)])
        let p2 = try Self.policy(2, [("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(3))]) == [
            "bob@example.com namespaces=\"git\",valid-after=\"\(Self.stamp(3))\" \(Self.keyB)",
            "carol@example.com namespaces=\"git\",valid-before=\"\(Self.stamp(3))\" \(Self.keyB)",
        ])
    }

    @Test("the key's own validity narrows its windows: a scheduled expiry joins the window, a retirement in the past ends it at the ratification")
    func ownValidity() throws {
        let p1 = try Self.policy(1, [("bob", "bob@example.com", Self.keyB, Self.day(1), nil, false)])
        let scheduled = try Self.policy(2, [("bob", "bob@example.com", Self.keyB, Self.day(1), Self.day(9), false)])
        #expect(Self.lines([(p1, Self.day(1)), (scheduled, Self.day(4))]) == [
            "bob@example.com namespaces=\"git\",valid-after=\"\(Self.stamp(1))\",valid-before=\"\(Self.stamp(9))\" \(Self.keyB)",
        ])
        // Retired as of day 2 by a policy ratified on day 4: events under the first policy until day 4 counted.
        let retired = try Self.policy(2, [("bob", "bob@example.com", Self.keyB, Self.day(1), Self.day(2), false)])
        #expect(Self.lines([(p1, Self.day(1)), (retired, Self.day(4))]) == [
            "bob@example.com namespaces=\"git\",valid-after=\"\(Self.stamp(1))\",valid-before=\"\(Self.stamp(4))\" \(Self.keyB)",
        ])
    }

    @Test("a key revoked by any ratified policy has no line at all; the other keys keep theirs")
    func revoked() throws {
        let p1 = try Self.policy(1, [("alice", "alice@example.com", Self.keyA, nil, nil, false), ("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        let p2 = try Self.policy(2, [("alice", "alice@example.com", Self.keyA, nil, nil, false), ("bob", "bob@example.com", Self.keyB, nil, nil, true)])
        let p3 = try Self.policy(3, [("alice", "alice@example.com", Self.keyA, nil, nil, false)])
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(2)), (p3, Self.day(3))]) == ["alice@example.com namespaces=\"git\" \(Self.keyA)"])
        // Control: without the revocation, bob's key is listed until it was removed.
        #expect(Self.lines([(p1, Self.day(1)), (p3, Self.day(3))]).contains("bob@example.com namespaces=\"git\",valid-before=\"\(Self.stamp(3))\" \(Self.keyB)"))
    }

    @Test("a key any ratified policy marks compromised-since keeps its line, ending at that time rather than at the ratification or removal")
    func compromised() throws {
        let p1 = try Self.policy(1, [("alice", "alice@example.com", Self.keyA, nil, nil, false), ("bob", "bob@example.com", Self.keyB, nil, nil, false)])
        var p2 = p1
        p2.serial = 2
        p2.identities["bob"]?.keys[0].compromisedSince = Self.day(3)
        let p3 = try Self.policy(3, [("alice", "alice@example.com", Self.keyA, nil, nil, false)])
        let expected = [
            "alice@example.com namespaces=\"git\" \(Self.keyA)",
            "bob@example.com namespaces=\"git\",valid-before=\"\(Self.stamp(3))\" \(Self.keyB)",
        ]
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(5))]) == expected)
        #expect(Self.lines([(p1, Self.day(1)), (p2, Self.day(5)), (p3, Self.day(6))]) == expected)
        // Control: without the compromise, bob's key is listed until it was removed.
        #expect(Self.lines([(p1, Self.day(1)), (p3, Self.day(6))]).contains("bob@example.com namespaces=\"git\",valid-before=\"\(Self.stamp(6))\" \(Self.keyB)"))
    }
}
