import Foundation
import Yams

/// A problem in a YAML file of the repository, with the file and line it was found at.
public struct SchemaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Repository path of the file.
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// What is wrong.
    public let reason: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}

/// Strict access to a parsed YAML file: unknown keys, duplicate keys, anchors and wrong types are errors.
struct YAMLDocument {
    static let maximumBytes = 1 << 20
    let file: String
    let root: Node

    /// Parses `data`; rejects oversized files, invalid UTF-8, anchors, aliases and deep nesting (see `screen`).
    init(_ data: Data, file: String) throws {
        self.file = file
        guard data.count <= Self.maximumBytes else {
            throw SchemaError(file: file, line: nil, reason: "file is larger than \(Self.maximumBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SchemaError(file: file, line: nil, reason: "file is not valid UTF-8")
        }
        try Self.screen(data, file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw SchemaError(file: file, line: Self.line(of: error), reason: "not valid YAML (\(Self.shortReason(error)))")
        } catch {
            throw SchemaError(file: file, line: nil, reason: "not valid YAML")
        }
        guard let node else { throw SchemaError(file: file, line: nil, reason: "file is empty") }
        self.root = node
    }

    /// A schema error located at `node`.
    func error(_ node: Node?, _ reason: String) -> SchemaError {
        SchemaError(file: file, line: node?.mark.map { $0.line }, reason: reason)
    }

    /// The pairs of a mapping, checking the keys are strings from `allowed` and unique.
    func mapping(_ node: Node, allowed: Set<String>?, what: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let map) = node else { throw error(node, "\(what) must be a mapping") }
        var seen = Set<String>()
        var out: [(String, Node, Node)] = []
        for (keyNode, value) in map {
            guard case .scalar(let scalar) = keyNode else { throw error(keyNode, "keys of \(what) must be plain strings") }
            let key = scalar.string
            if let allowed, !allowed.contains(key) {
                throw error(keyNode, "unknown key \(Name.quoted(key)) in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard seen.insert(key).inserted else { throw error(keyNode, "duplicate key \(Name.quoted(key)) in \(what)") }
            out.append((key, keyNode, value))
        }
        return out
    }

    /// A scalar's text; collections are an error.
    func string(_ node: Node, what: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "\(what) must be a single value") }
        return scalar.string
    }

    /// A scalar that must be a valid name.
    func name(_ node: Node, what: String) throws -> String {
        let value = try string(node, what: what)
        guard Name.isValid(value) else { throw error(node, "invalid \(what) \(Name.quoted(value))") }
        return value
    }

    /// A boolean scalar (`true`/`false`).
    func bool(_ node: Node, what: String) throws -> Bool {
        switch try string(node, what: what) {
        case "true": return true
        case "false": return false
        default: throw error(node, "\(what) must be true or false")
        }
    }

    /// A non-negative integer scalar.
    func int(_ node: Node, what: String) throws -> Int {
        guard let value = Int(try string(node, what: what)), value >= 0 else {
            throw error(node, "\(what) must be a whole number")
        }
        return value
    }

    /// A sequence's elements.
    func sequence(_ node: Node, what: String) throws -> [Node] {
        guard case .sequence(let seq) = node else { throw error(node, "\(what) must be a list") }
        return Array(seq)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func shortReason(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)".split(separator: "\n").first.map(String.init) ?? "syntax error"
        }
    }
}

// Binary form for the state snapshot (StateStore), which keeps why an agreement.yml is invalid.
extension SchemaError {
    func write(to w: inout BinaryWriter) {
        w.string(file)
        w.optional(line) { $0.int($1) }
        w.string(reason)
    }

    init(reading r: inout BinaryReader) throws {
        file = try r.string()
        line = try r.optional { try $0.int() }
        reason = try r.string()
    }
}
