import Foundation
import Testing
@testable import GitKit

@Suite("Object ids")
struct ObjectIDTests {
    @Test("hex round-trips in lowercase, either case is accepted")
    func hexRoundTrip() throws {
        let id = try #require(ObjectID(hex: "4B825DC642CB6EB9A060E54BF8D69288FBEE4904"))
        #expect(id.hex == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
        #expect(ObjectID(hex: id.hex) == id)
        #expect(!id.isZero && ObjectID.zero.isZero)
        #expect(ObjectID.zero < id)
    }

    @Test("anything but 40 hex digits is rejected", arguments: [
        "", "4b825dc", String(repeating: "g", count: 40), String(repeating: "a", count: 41),
        "4b825dc642cb6eb9a060e54bf8d69288fbee490\u{E9}",
    ])
    func rejectsBadHex(text: String) {
        #expect(ObjectID(hex: text) == nil)
    }
}
