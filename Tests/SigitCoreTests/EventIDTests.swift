import Crypto
import Foundation
import Testing
@testable import SigitCore

/// Event identity (spec section 2): SHA-256 of the signed payload, held in four words.
@Suite("event identity")
struct EventIDTests {
    @Test("the identity is the SHA-256 of the payload, and its 32 bytes round-trip", arguments: ["", "tree 0\n", String(repeating: "x", count: 1000)])
    func sha256(_ text: String) {
        let payload = Data(text.utf8)
        let id = EventID(payload: payload)
        let expected = SHA256.hash(data: payload).map { String(format: "%02x", $0) }.joined()
        #expect(id.description == "sha256:" + expected)
        #expect(EventID(digest: id.bytes) == id)
        #expect(id.bytes == Array(SHA256.hash(data: payload)))
    }

    @Test("different payloads have different identities; a marker never equals a payload's")
    func distinct() {
        #expect(EventID(payload: Data("a".utf8)) != EventID(payload: Data("b".utf8)))
        #expect(EventID(marker: "rejoin", commit: "00") != EventID(marker: "completed", commit: "00"))
    }
}
