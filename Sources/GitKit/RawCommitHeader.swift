/// The tree and parents of a commit read from its raw bytes, leniently: enough to walk past a commit that libgit2
/// refuses to parse (a malformed author or committer line), so such a commit can be reported instead of stopping
/// every command.
public struct RawCommitHeader: Sendable, Equatable {
    /// The `tree` header, when it is a well-formed id.
    public let tree: ObjectID?
    /// The `parent` headers that are well-formed ids, in order.
    public let parents: [ObjectID]

    /// Reads the header lines of a raw commit object (up to the first empty line).
    public init(raw: [UInt8]) {
        var tree: ObjectID?
        var parents: [ObjectID] = []
        var start = 0
        while start < raw.count {
            let end = raw[start...].firstIndex(of: 0x0A) ?? raw.count
            if end == start { break }  // the empty line before the message
            let line = String(decoding: raw[start..<end], as: UTF8.self)
            if line.hasPrefix("tree "), tree == nil { tree = ObjectID(hex: String(line.dropFirst(5))) }
            if line.hasPrefix("parent "), let id = ObjectID(hex: String(line.dropFirst(7))) { parents.append(id) }
            start = end + 1
        }
        self.tree = tree
        self.parents = parents
    }
}
