import GitKit

/// What `sigit sync` did.
public struct SyncOutcome: Sendable {
    /// up-to-date, fast-forward, merged or pushed-only.
    public var action: String
    /// The branch tip after the sync.
    public var tip: ObjectID?
    /// The signed merge commit, when one was made.
    public var merge: ObjectID?
    /// True when the branch was pushed.
    public var pushed: Bool
    /// What the remote said (its hook's lines, as git prints them after `remote:`), without transfer progress.
    public var messages: [String]
    /// The remote's transfer progress lines (`RemoteProgress`).
    public var progress: [String] = []
    /// The references pushed, the branch first, then seals.
    public var pushedRefs: [PushedRef] = []
    /// Warnings found in the commits that came in.
    public var warnings: [Finding]
    /// What the user should know besides: a seal the remote did not take.
    public var notes: [String]
}
