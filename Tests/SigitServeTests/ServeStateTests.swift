import Foundation
@testable import SigitServe
import GitKit
import SigitCore
import SSHSig
import Testing

/// The server's memory is bounded: prepared events expire, complete once and are capped; rate-limit tables are capped.
@Suite("sigit serve memory")
struct ServeStateTests {
    static func prepared() throws -> PreparedEvent {
        let key = try SSHPublicKey(openSSH: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")
        return PreparedEvent(action: .approve, branch: "refs/heads/main", tip: .zero, payload: Data(), signedData: Data([1]),
                             key: key, digest: nil, identity: "dana")
    }

    @Test("a prepared event completes once, only for its invitation, and not after five minutes")
    func pendingEvents() async throws {
        let store = PendingEvents(lifetime: 300, capacity: 4)
        let start = Date()
        let id = await store.add(try Self.prepared(), secretSHA256: "a", now: start)
        #expect(await store.take(id, secretSHA256: "b", now: start) == nil)
        #expect(await store.take(id, secretSHA256: "a", now: start) != nil)
        #expect(await store.take(id, secretSHA256: "a", now: start) == nil)
        let late = await store.add(try Self.prepared(), secretSHA256: "a", now: start)
        #expect(await store.take(late, secretSHA256: "a", now: start.addingTimeInterval(301)) == nil)
    }

    @Test("at most `capacity` prepared events are kept: the oldest goes first")
    func pendingCapacity() async throws {
        let store = PendingEvents(lifetime: 300, capacity: 3)
        let start = Date()
        var ids: [String] = []
        for offset in 0..<4 { ids.append(await store.add(try Self.prepared(), secretSHA256: "a", now: start.addingTimeInterval(Double(offset)))) }
        #expect(await store.take(ids[0], secretSHA256: "a", now: start.addingTimeInterval(5)) == nil)
        for id in ids.dropFirst() { #expect(await store.take(id, secretSHA256: "a", now: start.addingTimeInterval(5)) != nil) }
    }

    @Test("a rate limit counts per key per window, and a full table refuses new keys until windows end")
    func rateLimiter() async {
        let limiter = RateLimiter(limit: 2, window: 60, capacity: 2)
        let start = Date()
        #expect(await limiter.allow("x", now: start))
        #expect(await limiter.allow("x", now: start))
        #expect(await !limiter.allow("x", now: start))
        #expect(await limiter.allow("y", now: start))
        #expect(await !limiter.allow("z", now: start), "the table is full of live keys")
        #expect(await limiter.allow("z", now: start.addingTimeInterval(61)), "ended windows are dropped")
        #expect(await limiter.allow("x", now: start.addingTimeInterval(61)))
    }

    @Test("the CSRF token is bound to the invitation and to this process's key")
    func csrf() {
        let tokens = CSRFToken()
        let token = tokens.token(secretSHA256: "aa")
        #expect(tokens.isValid(token, secretSHA256: "aa"))
        #expect(!tokens.isValid(token, secretSHA256: "ab"))
        #expect(!tokens.isValid(nil, secretSHA256: "aa"))
        #expect(!tokens.isValid(String(token.dropLast()), secretSHA256: "aa"))
        #expect(!CSRFToken().isValid(token, secretSHA256: "aa"), "another run's key")
    }

    @Test("log lines never carry a secret")
    func redaction() {
        let secret = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"
        #expect(SigningResponder.redacted("/i/\(secret)/doc/nda.md") == "/i/[redacted]/doc/nda.md")
        #expect(!SigningResponder.redacted("/other/\(secret)").contains(secret))
        #expect(SigningResponder.redactSecrets("no invitation \(secret) here") == "no invitation [redacted] here")
    }
}
