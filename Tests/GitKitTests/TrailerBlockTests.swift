import Foundation
import Testing
@testable import GitKit

/// `TrailerBlock`, the port of git 2.39's trailer reading: where each of git's two readings ends the message and
/// finds the block, checked against stock git (`interpret-trailers --parse`, `log --format=%(trailers:only)`).
@Suite("the trailer block as git finds it")
struct TrailerBlockTests {
    static let cut = "# ------------------------ >8 ------------------------"

    /// (what, message, `interpret-trailers` reading, `git log` reading) as `Key: value` lines.
    static let cases: [(String, String, [String], [String])] = [
        ("a cut line ends the message for both readings", "s\n\nA: 1\n\(cut)\nB: 2\n", ["A: 1"], ["A: 1"]),
        ("a --- line ends it for interpret-trailers only", "s\n\nA: 1\n---\nB: 2\n", ["A: 1"], []),
        ("git log skips a blank first line, interpret-trailers does not", "\nA: 1\n", ["A: 1"], []),
        ("the last paragraph of trailers, a continuation kept", "s\n\nbody\n\nA: 1\n b\nC : 3\n", ["A: 1\n b", "C: 3"], ["A: 1\n b", "C: 3"]),
        ("trailing comments and empty lines are dropped", "s\n\nA: 1\n\n# comment\n\n", ["A: 1"], ["A: 1"]),
        ("25% trailers with a Signed-off-by", "s\n\nx\ny\nSigned-off-by: a\n", ["Signed-off-by: a"], ["Signed-off-by: a"]),
        ("a text line spoils a block without a git-generated trailer", "s\n\nA: 1\ntext\n", [], []),
        ("the title is never trailers", "A: 1\nB: 2\n", [], []),
    ]

    @Test("both readings, as stock git reads them", arguments: cases.indices)
    func readings(index: Int) throws {
        let (what, message, parse, log) = Self.cases[index]
        let lines = { (block: TrailerBlock) in block.trailers.map { "\($0.key): \($0.value)" } }
        #expect(lines(TrailerBlock(message: message, reading: .interpretTrailers)) == parse, "\(what)")
        #expect(lines(TrailerBlock(message: message, reading: .log)) == log, "\(what)")

        // The same by stock git (values unfolded there).
        let scratch = try ScratchRepository()
        let unfold = { (lines: [String]) in lines.map { $0.replacingOccurrences(of: "\n ", with: " ") } }
        let stock = try scratch.tools.succeed("git", ["interpret-trailers", "--parse"], input: Data(message.utf8)).text
        #expect(stock.split(separator: "\n").map(String.init) == unfold(parse), "\(what): git interpret-trailers")
        let blob = try scratch.gitSucceeds("commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", input: Data(message.utf8)).line
        let logged = try scratch.gitSucceeds("log", "-1", "--format=%(trailers:only,unfold)", blob).text
        #expect(logged.split(separator: "\n").map(String.init) == unfold(log), "\(what): git log")
    }

    @Test("block offsets point at the block's bytes")
    func offsets() {
        let message = "s\n\nbody\n\nA: 1\nB: 2\n"
        let block = TrailerBlock(message: message, reading: .interpretTrailers)
        #expect(Array(Array(message.utf8)[block.start..<block.end]) == Array("A: 1\nB: 2\n".utf8))
        #expect(block.entries == ["A: 1\n", "B: 2\n"])
    }
}
