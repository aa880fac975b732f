import HashTreeCollections

/// Agreements by id, as a persistent hash tree (swift-collections' `TreeDictionary`): a copy shares its storage, and
/// a change to one agreement copies only the path to it, not every agreement. The ledger hands one state to each
/// child of a commit, so at every fork of history a `Dictionary` would copy all agreements; this copies a few nodes.
///
/// It also remembers which ids were changed since `touched` was last emptied, so the ledger knows which agreements
/// each commit changed and a merge needs to join only those.
public struct AgreementMap: Sendable, Sequence {
    private var storage: TreeDictionary<String, AgreementTrack> = [:]
    /// Ids changed (set, replaced, mutated or removed) since this was last emptied.
    var touched: Set<String> = []

    /// An empty map.
    public init() {}

    /// A map of `tracks` (by their ids) with nothing touched: a state read back from the snapshot.
    init(tracks: [AgreementTrack]) {
        for track in tracks { storage[track.id] = track }
    }

    /// The agreement with this id; every change through here is recorded in `touched`.
    public subscript(id: String) -> AgreementTrack? {
        get { storage[id] }
        set {
            touched.insert(id)
            storage[id] = newValue
        }
        _modify {
            touched.insert(id)
            yield &storage[id]
        }
    }

    /// The ids, in no particular order.
    public var keys: TreeDictionary<String, AgreementTrack>.Keys { storage.keys }
    /// The agreements, in no particular order.
    public var values: TreeDictionary<String, AgreementTrack>.Values { storage.values }
    /// How many agreements there are.
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public func makeIterator() -> TreeDictionary<String, AgreementTrack>.Iterator { storage.makeIterator() }
}
