import Foundation
import Testing
@testable import SigitCore

/// docs/FORMAT.md stays a complete description: every rule the verifier can name is documented and mapped to a test.
@Suite("docs/FORMAT.md")
struct FormatDocTests {
    @Test("every rule appears in the table of tests that prove it")
    func everyRuleHasATest() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Which test proves which rule")).upperBound
        let table = String(text[section...])
        let missing = Rule.allCases.filter { !table.contains("`\($0.rawValue)`") }
        #expect(missing.isEmpty, "rules without a test listed in docs/FORMAT.md: \(missing.map(\.rawValue))")
    }
}
