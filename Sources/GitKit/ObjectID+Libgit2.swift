internal import CLibgit2

extension ObjectID {
    /// Copies a libgit2 oid.
    init(_ oid: git_oid) {
        var copy = oid
        self = withUnsafeBytes(of: &copy.id) { ObjectID(raw: $0) }
    }

    /// Copies the oid behind a libgit2 pointer.
    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// The id as a libgit2 oid.
    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.copyBytes(from: bytes.prefix(raw.count))
        }
        return oid
    }
}
