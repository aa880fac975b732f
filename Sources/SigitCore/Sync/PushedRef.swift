import GitKit

/// A reference `sigit sync` pushed: a branch moved from `old` to `new`, or a seal tag created (`old` nil).
public struct PushedRef: Sendable, Equatable {
    /// The full reference name (`refs/heads/main`, `refs/tags/sigit/<id>/completed`).
    public var name: String
    /// What the remote had before; nil when the reference is new there.
    public var old: ObjectID?
    /// What the remote has now.
    public var new: ObjectID
}
