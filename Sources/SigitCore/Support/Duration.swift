/// A workflow duration such as `2d`, `12h` or `30m` (spec section 4).
public struct WorkflowDuration: Sendable, Equatable, CustomStringConvertible {
    /// Length in seconds.
    public let seconds: Int64
    /// The text as written.
    public let text: String

    /// Parses `<n>d`, `<n>h` or `<n>m`; nil when malformed.
    public init?(_ text: String) {
        guard let unit = text.last, text.count >= 2, text.count <= 8,
              let n = Int64(text.dropLast()), n >= 0 else { return nil }
        switch unit {
        case "d": seconds = n * 86_400
        case "h": seconds = n * 3_600
        case "m": seconds = n * 60
        default: return nil
        }
        self.text = text
    }

    public var description: String { text }
}
