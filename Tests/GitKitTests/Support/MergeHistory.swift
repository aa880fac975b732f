import GitKit

/// A small history with a merge, written through GitKit:
///
///     A ── B ── C ── M      (M merges C and D; first parent C)
///      \            /
///       └── D ─────┘
///
/// B and D carry commit times earlier than A's (a skewed clock), so only a topological
/// walk puts every parent before its children.
struct MergeHistory {
    let a: ObjectID, b: ObjectID, c: ObjectID, d: ObjectID, m: ObjectID

    /// Writes the five commits in `repository`; no reference moves.
    init(in repository: Repository) throws {
        a = try repository.makeCommit(["f": "a\n"], message: "A\n", time: 1_700_000_500)
        b = try repository.makeCommit(["f": "b\n"], parents: [a], message: "B\n", time: 1_700_000_100)
        c = try repository.makeCommit(["f": "c\n"], parents: [b], message: "C\n", time: 1_700_000_600)
        d = try repository.makeCommit(["g": "d\n"], parents: [a], message: "D\n", time: 1_700_000_000)
        m = try repository.makeCommit(["g": "d\n"], parents: [c, d], message: "M\n", time: 1_700_000_700)
    }

    /// Every commit of the history.
    var all: Set<ObjectID> { [a, b, c, d, m] }
}
