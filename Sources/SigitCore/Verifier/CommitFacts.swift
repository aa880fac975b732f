import GitKit

/// What judging a commit needs to know of each parent: kept by the ledger only until the parent's last child was
/// judged, and small (no names, no message), so a walk of 100k commits does not hold 100k commit descriptions.
struct CommitFacts: Sendable {
    /// The parent's id.
    let id: ObjectID
    /// Its root tree.
    let tree: ObjectID
    /// Its committer time, seconds since the epoch.
    let time: Int64
}
