import Foundation
import Testing
@testable import GitKit

@Suite("Commit message trailers")
struct MessageTrailerTests {
    @Test("trailers of the last paragraph are read in order, repeated keys kept")
    func readsTrailersInOrder() throws {
        let message = "Approve NDA\n\nBody text: not a trailer.\n\nSigit-Action: approve\nSigit-Agreement: nda-2024\nSigned-off-by: A <a@example.com>\nSigned-off-by: B <b@example.com>\n"
        #expect(try Message.trailers(message) == [
            Trailer(key: "Sigit-Action", value: "approve"),
            Trailer(key: "Sigit-Agreement", value: "nda-2024"),
            Trailer(key: "Signed-off-by", value: "A <a@example.com>"),
            Trailer(key: "Signed-off-by", value: "B <b@example.com>"),
        ])
    }

    @Test("the result agrees with git interpret-trailers --parse")
    func agreesWithGit() throws {
        let scratch = try ScratchRepository()
        let message = "Subject\n\nSigit-Action: send\nSigit-Recipient: bob@example.com\n"
        let stock = try scratch.tools.succeed("git", ["interpret-trailers", "--parse"], input: Data(message.utf8)).text
        let ours = try Message.trailers(message).map { "\($0.key): \($0.value)\n" }.joined()
        #expect(ours == stock)
    }

    @Test("messages without a trailer paragraph have no trailers", arguments: [
        "", "Subject only\n", "Subject\n\nJust a body.\n", "Key: value\n",
    ])
    func noTrailers(message: String) throws {
        #expect(try Message.trailers(message).isEmpty)
    }
}
