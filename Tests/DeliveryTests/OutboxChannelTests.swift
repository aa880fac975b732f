import Foundation
import Testing
@testable import Delivery

/// The outbox: one .eml file per notice, written atomically.
@Suite("Delivery: outbox channel")
struct OutboxChannelTests {
    @Test("writes DIR/<timestamp>-<message id>.eml, creating DIR, and Python parses it")
    func writesParseableMessage() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let directory = scratch.path + "/out/box"
        let outbox = try ChannelSpec.parse("outbox:\(directory)", environment: [:], config: { _ in nil })
        #expect(outbox.description == "outbox:\(directory)")
        let notice = Fixtures.notice(subject: "Bitte unterschreiben: NDA für Zoë")
        try outbox.deliver(notice)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names == ["20250102T030405Z-sigit.nda-1.round-abc.request.bob@sigit.local.eml"])
        let parsed = try Python.parseMail(directory + "/" + names[0])
        #expect(parsed["subject"] as? String == "Bitte unterschreiben: NDA für Zoë")
        #expect(parsed["message_id"] as? String == "<sigit.nda-1.round-abc.request.bob@sigit.local>")
        #expect(parsed["body"] as? String == notice.body)
        #expect(parsed["defects"] as? [String] == [])
        #expect(parsed["bare_lf"] as? Bool == false)

        try outbox.deliver(notice)  // the same notice again replaces its file
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 1)
    }

    @Test("message ids become safe file names")
    func fileNames() {
        #expect(OutboxChannel.fileSafe("a/b@c") == "a_b@c")
        #expect(OutboxChannel.fileSafe("..x@y") == "_.x@y")
        #expect(OutboxChannel.fileSafe(String(repeating: "a", count: 400)).count == 150)
    }

    @Test("~/ means the home directory")
    func home() throws {
        let outbox = try ChannelSpec.parse("outbox:~/mail", environment: ["HOME": "/home/sigit"], config: { _ in nil })
        #expect(outbox.description == "outbox:/home/sigit/mail")
    }

    @Test("an unwritable directory is a DeliveryError naming the outbox")
    func unwritable() throws {
        let scratch = try ScratchDirectory(prefix: "sigit-delivery", removedOnRelease: false)
        defer { scratch.remove() }
        let file = scratch.path + "/file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        let outbox = try ChannelSpec.parse("outbox:\(file)/sub", environment: [:], config: { _ in nil })
        let error = try #require(throws: DeliveryError.self) { try outbox.deliver(Fixtures.notice()) }
        #expect(error.description.contains("outbox:\(file)/sub"))
    }
}
