// CYaml is the libyaml that Yams compiles and links (a target of the Yams package, reachable through the
// Yams product); it is imported for libyaml's event API, which Yams does not expose.
internal import CYaml
import Foundation

extension YAMLDocument {
    /// The deepest nesting of mappings and sequences a sigit file may use.
    static let maximumDepth = 32

    /// Reads the libyaml event stream of `data` once, before Yams builds a tree, and rejects
    /// anchors, aliases and nesting deeper than `maximumDepth`.
    ///
    /// This must happen on events, not on the composed tree: Yams resolves an alias while it
    /// composes, so `a: &a [...]` / `b: [*a, *a, ...]` / ... grows exponentially when walked, and an
    /// alias used as a mapping key is hashed in full for Yams' duplicate-key check (a billion-laughs
    /// hang inside `Yams.compose`); and Yams keeps a node's `anchor` weakly, so it reads nil once the
    /// parser is gone. libyaml itself needs only linear work and memory for any input.
    ///
    /// A syntax error ends the screen without a verdict: `Yams.compose` meets the same error at
    /// the same place and reports it.
    static func screen(_ data: Data, file: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw SchemaError(file: file, line: nil, reason: "the YAML parser could not start")
        }
        defer { yaml_parser_delete(&parser) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let anchor: UnsafeMutablePointer<yaml_char_t>?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_ALIAS_EVENT:
                    throw SchemaError(file: file, line: line, reason: "YAML anchors and aliases are not allowed")
                case YAML_SCALAR_EVENT:
                    anchor = event.data.scalar.anchor
                case YAML_SEQUENCE_START_EVENT:
                    anchor = event.data.sequence_start.anchor
                    depth += 1
                case YAML_MAPPING_START_EVENT:
                    anchor = event.data.mapping_start.anchor
                    depth += 1
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    anchor = nil
                    depth -= 1
                default:
                    anchor = nil
                }
                if anchor != nil {
                    throw SchemaError(file: file, line: line, reason: "YAML anchors and aliases are not allowed")
                }
                if depth > maximumDepth {
                    throw SchemaError(file: file, line: line, reason: "nesting is deeper than \(maximumDepth) levels")
                }
            }
        }
    }
}
