import Foundation
import GitKit
@testable import SigitCore
import Testing

/// docs/FORMAT.md section 6, *One event per run*: a notify event records one trailer group per notice. Repeated
/// `Sigit-*` trailers are allowed there only, as complete groups in a fixed order, and read exactly as stock git reads
/// them; every other repetition stays `malformed-event` (spec section 2).
@Suite("notify trailer groups")
struct NotifyBatchTrailerTests {
    static let header = "Sigit-Version: 1\nSigit-Action: notify\nSigit-Identity: bot"
    static let first = "Sigit-Agreement: nda-1\nSigit-Step: signatures\nSigit-Recipient: bob\nSigit-Notice: request\nSigit-Channel: outbox"
    static let second = "Sigit-Agreement: nda-2\nSigit-Recipient: carol\nSigit-Notice: completed\nSigit-Channel: outbox"
    static let third = "Sigit-Agreement: nda-1\nSigit-Step: signatures\nSigit-Recipient: carol\nSigit-Notice: request\nSigit-Channel: outbox"

    static func message(_ blocks: String...) -> String { "notify: 3 notices\n\n" + blocks.joined(separator: "\n") + "\n" }

    @Test("a batch of three groups: read as git reads it, one notice per group in order, written back the same")
    func batchRead() throws {
        let text = Self.message(Self.header, Self.first, Self.second, Self.third)
        let git = try StockGit()
        let stock = try #require(try git.interpretTrailers(text)).split(separator: "\n").map(String.init)
        let ours = try #require(try EventTrailers.read(message: text)).map { "\($0.key): \($0.value)" }
        #expect(ours == stock, "git interpret-trailers --parse reads \(stock)")
        let logged = try git.logTrailers([text])[0].split(separator: "\n").map(String.init)
        #expect(ours == logged, "git log %(trailers) reads \(logged)")
        let event = try #require(try EventTrailers.parse(message: text))
        #expect(event.action == .notify && event.identity == "bot")
        #expect(event.notices == [
            NoticeGroup(agreement: "nda-1", step: "signatures", recipient: "bob", notice: "request", channel: "outbox"),
            NoticeGroup(agreement: "nda-2", step: nil, recipient: "carol", notice: "completed", channel: "outbox"),
            NoticeGroup(agreement: "nda-1", step: "signatures", recipient: "carol", notice: "request", channel: "outbox"),
        ])
        #expect(event.agreements == ["nda-1", "nda-2"])
        #expect(event.lines() == stock, "the writer writes exactly the block it reads")
    }

    @Test("a single-notice notify event in the old layout (Sigit-Agreement before Sigit-Identity) is still read")
    func legacySingle() throws {
        let text = "notify nda-1: request to bob by smtp\n\nSigit-Version: 1\nSigit-Action: notify\nSigit-Agreement: nda-1\nSigit-Identity: bot\nSigit-Step: signatures\nSigit-Recipient: bob\nSigit-Notice: request\nSigit-Channel: smtp\n"
        let event = try #require(try EventTrailers.parse(message: text))
        #expect(event.notices == [NoticeGroup(agreement: "nda-1", step: "signatures", recipient: "bob", notice: "request", channel: "smtp")])
        #expect(try EventTrailers.parse(message: Self.message(Self.header, Self.first))?.notices == [
            NoticeGroup(agreement: "nda-1", step: "signatures", recipient: "bob", notice: "request", channel: "outbox")])
    }

    static let refused: [(String, String)] = [
        ("a repeated trailer in an approve", "approve nda-1\n\nSigit-Version: 1\nSigit-Action: approve\nSigit-Agreement: nda-1\nSigit-Identity: bob\nSigit-Digest: sha256:00\nSigit-Step: a\nSigit-Step: b\n"),
        ("two Sigit-Identity in a notify", message(header, first, "Sigit-Identity: eve", second)),
        ("a group without Sigit-Channel", message(header, first, "Sigit-Agreement: nda-2\nSigit-Recipient: carol\nSigit-Notice: completed")),
        ("a group out of order", message(header, first, "Sigit-Recipient: carol\nSigit-Agreement: nda-2\nSigit-Notice: completed\nSigit-Channel: outbox")),
        ("the same notice twice", message(header, first, first)),
        ("Sigit-Digest in a batch", message(header, first, second, "Sigit-Digest: sha256:00")),
        ("the header after a group", message(first, header, second)),
        ("an unknown notice in a group", message(header, first, second.replacingOccurrences(of: "completed", with: "bribe"))),
        ("an invalid recipient in a group", message(header, first, second.replacingOccurrences(of: "carol", with: "Carol Doe"))),
        ("repeated groups in a void", message(header.replacingOccurrences(of: "notify", with: "void"), first, second)),
    ]

    @Test("every other repetition, an incomplete or reordered group, a duplicate notice: malformed", arguments: refused)
    func malformed(name: String, text: String) throws {
        #expect(throws: TrailerProblem.self, "\(name)") { try EventTrailers.parse(message: text) }
    }
}
