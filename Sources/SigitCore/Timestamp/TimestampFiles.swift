/// Where time-stamp tokens live in the tree (spec section 8): `.sigit/timestamps/<event identity in hex>.tsr`, one DER
/// token per event.
public enum TimestampFiles {
    /// The folder.
    public static let folder = ".sigit/timestamps"

    /// The path of the token of `event`.
    public static func path(for event: EventID) -> String { "\(folder)/\(event.hex).tsr" }

    /// The event a path names, or nil when the path is not `.sigit/timestamps/<64 lowercase hex>.tsr`.
    public static func event(at path: String) -> EventID? {
        let prefix = folder + "/"
        guard path.hasPrefix(prefix), path.hasSuffix(".tsr") else { return nil }
        let name = path.dropFirst(prefix.count).dropLast(4)
        return EventID(hex: String(name))
    }

    /// Whether `path` is under the folder.
    public static func contains(_ path: String) -> Bool { path.hasPrefix(folder + "/") || path == folder }
}
