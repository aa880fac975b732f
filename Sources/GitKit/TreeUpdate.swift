/// One change to apply to a tree by `Repository.updatedTree(base:_:)`.
public enum TreeUpdate: Sendable, Equatable {
    /// Adds or replaces the file at `path` (creating subtrees as needed) with `blob` and `mode`.
    case upsert(path: String, blob: ObjectID, mode: UInt32)
    /// Removes the file or subtree at `path`; absent paths are ignored.
    case remove(path: String)

    /// The path the update touches.
    public var path: String {
        switch self {
        case .upsert(let path, _, _), .remove(let path): path
        }
    }
}
