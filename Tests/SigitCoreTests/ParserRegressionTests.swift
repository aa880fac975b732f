import Foundation
import GitKit
import SSHSig
import Testing
@testable import SigitCore

/// The parsers of repository files (policy, agreement, trailers) on hostile input: a clear error, never a
/// trap or a hang. Inputs found by `make fuzz` are kept in fuzz/corpus/ and replayed here.
@Suite("parsers of untrusted files")
struct ParserRegressionTests {
    static let aliceKey = SSHPrivateKey(ed25519Seed: Data(repeating: 1, count: 32)).publicKey.openSSH

    static let policy = """
        serial: 1
        identities:
          alice:
            name: Alice
            email: alice@example.com
            keys:
            - key: \(aliceKey)
        permissions:
          admin: [alice]

        """

    static let agreement = """
        title: NDA
        documents: [nda.md]
        workflow:
          - step: sign
            approvers: [alice]

        """

    /// The parser of each YAML file sigit reads, by name.
    static func parse(_ kind: String, _ text: String) throws {
        try parse(kind, Data(text.utf8))
    }

    static func parse(_ kind: String, _ data: Data) throws {
        if kind == "policy" { _ = try Policy(yaml: data) } else { _ = try AgreementSpec(yaml: data, file: AgreementSpec.fileName) }
    }

    /// The reason of the `SchemaError` that parsing throws; nil when it parses or throws something else.
    static func reason(_ kind: String, _ data: Data) -> String? {
        do { try parse(kind, data) } catch let error as SchemaError { return error.reason } catch { return nil }
        return nil
    }

    static func reason(_ kind: String, _ text: String) -> String? { reason(kind, Data(text.utf8)) }

    @Test("the minimal policy and agreement parse (control)")
    func controls() throws {
        let policy = try Policy(yaml: Data(Self.policy.utf8))
        #expect(policy.holders(of: .admin) == ["alice"])
        #expect(try AgreementSpec(yaml: Data(Self.agreement.utf8), file: "agreement.yml").title == "NDA")
    }

    // MARK: YAML anchors and aliases

    /// Classic billion laughs: ten aliases per level, nine levels, 10^9 leaves when expanded.
    static let billionLaughs = "lol0: &l0 lol\n" + (1...9).map { level in
        "lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }.joined()

    /// An alias used as a mapping key: Yams hashed the whole expansion for its duplicate-key check (hang in compose).
    static let aliasKey = "a0: &a0 [x, x, x, x]\n" + (1...14).map { level in
        "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 4).joined(separator: ", ") + "]\n"
    }.joined() + "? *a14\n: 1\n"

    @Test("anchors and aliases are refused before a tree is built (billion laughs, alias keys, a lone anchor)",
          .timeLimit(.minutes(1)),
          arguments: ["policy", "agreement"], ["billion", "alias-key", "anchor", "alias-in-value"])
    func aliasBombs(kind: String, shape: String) {
        let base = kind == "policy" ? Self.policy : Self.agreement
        let text: String
        switch shape {
        case "billion": text = Self.billionLaughs + base
        case "alias-key": text = Self.aliasKey + base
        case "anchor": text = base.replacingOccurrences(of: kind == "policy" ? "admin: [alice]" : "approvers: [alice]",
                                                        with: kind == "policy" ? "admin: &x [alice]" : "approvers: &x [alice]")
        default: text = "x: &t NDA\n" + base.replacingOccurrences(of: "title: NDA", with: "title: *t")
        }
        #expect(Self.reason(kind, text) == "YAML anchors and aliases are not allowed", "\(shape)")
    }

    @Test("nesting deeper than 32 levels is refused, however deep", arguments: ["policy", "agreement"], [33, 1_000, 200_000])
    func deepNesting(kind: String, depth: Int) throws {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let reason = try #require(Self.reason(kind, text))
        #expect(reason.contains("nesting is deeper than 32 levels") || reason.contains("not valid YAML"), "\(reason)")
        let fine = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(Self.reason(kind, "title: \(fine)\n")?.contains("nesting") != true)
    }

    // MARK: Size, encoding, NUL, newlines

    @Test("files over 1 MiB are refused before parsing", arguments: ["policy", "agreement"], [(1 << 20) + 1, 10 << 20])
    func hugeFiles(kind: String, size: Int) {
        var data = Data((kind == "policy" ? Self.policy : Self.agreement).utf8)
        data.append(Data(repeating: UInt8(ascii: "#"), count: size - data.count))
        #expect(Self.reason(kind, data) == "file is larger than 1048576 bytes")
    }

    @Test("a policy of 20 000 identities, all of them admins, parses in linear time; writing it out is refused once it passes 1 MiB",
          .timeLimit(.minutes(1)))
    func manyAdmins() throws {
        let count = 20_000
        let ids = (0..<count).map { "  i\($0): {}\n" }.joined()
        let admins = (0..<count).map { "i\($0)" }.joined(separator: ", ")
        // Each admin listed twice and through a role listed many times: the old holders(of:) was quadratic.
        let text = "serial: 1\nidentities:\n\(ids)roles:\n  all: [\(admins)]\npermissions:\n  admin: [\(admins), \(Array(repeating: "role:all", count: 2_000).joined(separator: ", "))]\n"
        let policy = try Policy(yaml: Data(text.utf8))
        #expect(policy.holders(of: .admin).count == count)
        #expect(policy.allows(.admin, "i19999"))
        #expect(!policy.allows(.draft, "i0"))
        let error = try #require(throws: SchemaError.self) { try policy.yaml() }
        #expect(error.reason.contains("would be larger than 1048576 bytes"))
    }

    @Test("a policy that yaml() writes parses again", arguments: [policy, "serial: 2\nthreshold: 1\n" + policy.dropFirst("serial: 1\n".count)])
    func roundTrip(text: String) throws {
        let policy = try Policy(yaml: Data(text.utf8))
        #expect(try Policy(yaml: policy.yaml()) == policy)
    }

    @Test("invalid UTF-8 is refused", arguments: ["policy", "agreement"], [[0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8(kind: String, bytes: [UInt8]) {
        var data = Data((kind == "policy" ? Self.policy : Self.agreement).utf8)
        data.append(Data("# ".utf8) + Data(bytes) + Data("\n".utf8))
        #expect(Self.reason(kind, data) == "file is not valid UTF-8")
    }

    @Test("a raw NUL byte anywhere is refused", arguments: ["policy", "agreement"], ["title", "comment", "key"])
    func rawNUL(kind: String, place: String) throws {
        let base = kind == "policy" ? Self.policy : Self.agreement
        let text: String
        switch place {
        case "title": text = base.replacingOccurrences(of: kind == "policy" ? "Alice" : "NDA", with: "A\u{0}B")
        case "comment": text = base + "# a\u{0}b\n"
        default: text = "\u{0}" + base
        }
        let reason = try #require(Self.reason(kind, text))
        #expect(reason.contains("not valid YAML"), "\(reason)")
    }

    /// Escaped control characters reach the schema checks as real characters: each must be refused there.
    @Test("escaped NUL, newline and escape characters in values are refused", arguments: ["\\0", "\\n", "\\r", "\\e", "\\x7f"])
    func escapedControls(escape: String) throws {
        let policies = [
            Self.policy.replacingOccurrences(of: "name: Alice", with: "name: \"Alice\(escape)Sigit-Action: approve\""),
            Self.policy.replacingOccurrences(of: "email: alice@example.com", with: "email: \"alice@example.com\(escape)x\""),
            Self.policy.replacingOccurrences(of: "- key: \(Self.aliceKey)", with: "- key: \"\(Self.aliceKey) c\(escape)ssh-ed25519 AAAA\""),
            Self.policy.replacingOccurrences(of: "  alice:\n", with: "  \"alice\(escape)\":\n"),
        ]
        for text in policies {
            #expect(Self.reason("policy", text) != nil, "\(text)")
        }
        let agreements = [
            Self.agreement.replacingOccurrences(of: "title: NDA", with: "title: \"NDA\(escape)Sigit-Action: approve\""),
            Self.agreement.replacingOccurrences(of: "[nda.md]", with: "[\"nda.md\(escape)x\"]"),
            Self.agreement.replacingOccurrences(of: "step: sign", with: "step: \"sign\(escape)\""),
            Self.agreement.replacingOccurrences(of: "[alice]", with: "[\"alice\(escape)\"]"),
        ]
        for text in agreements {
            #expect(Self.reason("agreement", text) != nil, "\(text)")
        }
    }

    @Test("a multi-line title written as a block scalar is refused")
    func blockScalarTitle() {
        let text = Self.agreement.replacingOccurrences(of: "title: NDA", with: "title: |\n  NDA\n  Sigit-Action: approve")
        #expect(Self.reason("agreement", text) == "title must be one line of at most 200 characters")
    }

    // MARK: Trailers

    static func trailers(_ message: String) throws -> EventTrailers? {
        try EventTrailers.parse(message: message)
    }

    static let event = "approve x\n\nSigit-Version: 1\nSigit-Action: approve\nSigit-Agreement: nda-1\nSigit-Identity: bob\nSigit-Digest: sha256:00\nSigit-Step: sign\n"

    @Test("well-formed Sigit trailers parse (control)")
    func trailerControl() throws {
        let parsed = try #require(try Self.trailers(Self.event))
        #expect(parsed.action == .approve && parsed.step == "sign")
        #expect(try Self.trailers("just a subject\n\nand a body\n") == nil)
    }

    /// libgit2 keeps a space-folded line (value with a newline) but drops a tab-folded one; git folds both.
    @Test("a trailer value continued on the next line is refused, not joined or dropped", arguments: [
        "Sigit-Step: sign\n Sigit-Action: void\n", "Sigit-Step: sign\n\tmore\n", "Sigit-Step: sign\r\n\tmore\r\n",
    ])
    func trailerContinuation(lines: String) throws {
        let message = Self.event.replacingOccurrences(of: "Sigit-Step: sign\n", with: lines)
        #expect(throws: TrailerProblem.self) { try Self.trailers(message) }
    }

    @Test("a carriage return inside a trailer value is refused")
    func trailerCarriageReturn() throws {
        let message = Self.event.replacingOccurrences(of: "Sigit-Step: sign", with: "Sigit-Step: sign\rSigit-Action: void")
        let problem = try #require(throws: TrailerProblem.self) { try Self.trailers(message) }
        #expect(problem.description.contains("carriage return"))
    }

    @Test("a NUL byte (git and libgit2 stop reading there) in a message with Sigit lines is refused")
    func trailerNUL() throws {
        let message = "approve x\n\nbody\u{0}\n\nSigit-Version: 1\nSigit-Action: void\nSigit-Identity: bob\n"
        #expect(throws: TrailerProblem.self) { try Self.trailers(message) }
        #expect(throws: TrailerProblem.self) { try Self.trailers(Self.event + "\u{0}Sigit-Action: void\n") }
    }

    @Test("a repeated or unknown Sigit trailer is refused", arguments: ["Sigit-Action: void\n", "sigit-step: other\n", "Sigit-Bogus: 1\n"])
    func trailerDuplicates(extra: String) {
        #expect(throws: TrailerProblem.self) { try Self.trailers(Self.event + extra) }
    }

    @Test("a huge commit message is read without trouble", .timeLimit(.minutes(1)))
    func trailerHuge() throws {
        let body = String(repeating: "Key: value\n", count: 200_000)
        #expect(try Self.trailers("subject\n\n" + body) == nil)
        #expect(throws: TrailerProblem.self) { try Self.trailers("subject\n\n" + body + "Sigit-Version: 1\n") }
    }

    // MARK: The kept corpus

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/corpus")

    static func corpusFiles(_ target: String) -> [URL] {
        let folder = corpus.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every policy and agreement of fuzz/corpus/ parses or throws a SchemaError", arguments: ["FuzzPolicy", "FuzzAgreement"])
    func corpusYAML(target: String) throws {
        let files = Self.corpusFiles(target)
        #expect(!files.isEmpty)
        for file in files {
            let data = try Data(contentsOf: file)
            do {
                if target == "FuzzPolicy" {
                    let policy = try Policy(yaml: data)
                    if let written = try? policy.yaml() { #expect(throws: Never.self) { try Policy(yaml: written) } }
                } else {
                    _ = try AgreementSpec(yaml: data, file: AgreementSpec.fileName)
                }
            } catch is SchemaError {
            } catch {
                Issue.record("\(file.lastPathComponent): \(error)")
            }
        }
    }

    @Test("the seed policies and agreements written by sigit parse", arguments: ["FuzzPolicy", "FuzzAgreement"])
    func seedsParse(target: String) throws {
        for file in Self.corpusFiles(target) where file.lastPathComponent.hasPrefix("seed-") && !file.lastPathComponent.hasPrefix("seed-template-") {
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try Self.parse(target == "FuzzPolicy" ? "policy" : "agreement", Data(contentsOf: file)) }
        }
    }

    @Test("every commit message of fuzz/corpus/ gives trailers or a TrailerProblem")
    func corpusTrailers() throws {
        for file in Self.corpusFiles("FuzzTrailers") {
            let message = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            do { _ = try Self.trailers(message) } catch is TrailerProblem {} catch { Issue.record("\(file.lastPathComponent): \(error)") }
        }
    }
}
