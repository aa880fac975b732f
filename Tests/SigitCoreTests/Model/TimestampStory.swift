/// A hand-written history of spec section 8 (trusted time) on which the ledger must agree with the model, with what
/// it must show: a line its log must hold (the scenario was written), and whether some event of bob's compromised
/// key still counts at the tip.
struct TimestampStory: Sendable, CustomStringConvertible {
    var name: String
    var script: [HistoryOp]
    var needle: String
    var keepsSome: Bool

    var description: String { name }

    /// ag-0 (variant 0: bob reviews, bob and carol sign) drafted and sent by alice, the fixture's CA listed first.
    static let opening: [HistoryOp] = [.timestamping(0, pick: 1), .draft(0, pick: 0), .send(0, pick: 0)]

    static let all: [TimestampStory] = [
        // bob comments twice and reviews; his last two events are stamped by bob, then his key is revoked as
        // compromised since a time after those tokens: the review and the second comment keep counting, the first
        // comment is dropped, and bob's signature with the compromised key is `key-revoked`.
        TimestampStory(name: "stamped before the compromise time: kept", script: opening + [.comment(0, pick: 1), .comment(0, pick: 1), .approve(0, pick: 0),
                                                                                            .timestamping(3, pick: 1), .approve(0, pick: 0)],
                       needle: "(before the compromise)", keepsSome: true),
        // The review is stamped on a branch before the compromise time; the branch is merged after the revocation: the
        // token came too late, the review stays dropped.
        TimestampStory(name: "token on a branch merged after the revocation: nothing kept", script: opening + [.approve(0, pick: 0), .attack(.lateToken, 0, pick: 0)],
                       needle: "bob's event (after the revocation)", keepsSome: false),
        // The control: merged before the revocation, the token counts when it comes into force.
        TimestampStory(name: "token on a branch merged before the revocation: kept", script: opening + [.approve(0, pick: 0), .attack(.lateToken, 0, pick: 1)],
                       needle: "bob's event (before the revocation)", keepsSome: true),
        // A thief's signature of ag-0, backdated before the compromise time and stamped after it, on a fork merged
        // after the revocation (`key-left`) or before it (dropped at the revocation).
        TimestampStory(name: "forged approval merged after the revocation", script: opening + [.approve(0, pick: 0), .attack(.forgedFork, 0, pick: 1)],
                       needle: "thief's fork (after the revocation)", keepsSome: false),
        TimestampStory(name: "forged approval merged before the revocation", script: opening + [.approve(0, pick: 0), .attack(.forgedFork, 0, pick: 0)],
                       needle: "thief's fork (before the revocation)", keepsSome: false),
    ]
}
