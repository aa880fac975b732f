/// A history on which the ledger of this branch is known to disagree with the model: a mutation kind and either a
/// seed (with only that kind on) or a hand-written script.
struct KnownGap: Sendable, CustomStringConvertible {
    var kind: MutationKind
    var seed: UInt64?
    var script: [HistoryOp]?

    var description: String { "\(kind.rawValue) " + (seed.map { "seed \($0)" } ?? "script") }

    /// ag-0 drafted by alice (bob is the only reviewer), sent by bot, reviewed and signed by bob, declined by carol,
    /// sent again by bot at the same digest, reviewed again by bob.
    static let roundTwo: [HistoryOp] = [.draft(0, pick: 0), .send(0, pick: 1), .approve(0, pick: 0), .approve(0, pick: 0),
                                        .decline(0, pick: 0), .send(0, pick: 1), .approve(0, pick: 0)]

    /// One witness (at least) per kind in `MutationKind.knownGaps`.
    static let all: [KnownGap] = [
        KnownGap(kind: .armorCopy, seed: 1),
        KnownGap(kind: .replay, seed: 10),
        KnownGap(kind: .orphanMerge, seed: 1),
        KnownGap(kind: .unsignedEdit, seed: 1),
        KnownGap(kind: .mergedEdit, seed: 6),
        KnownGap(kind: .terminalEdit, seed: 6),
        KnownGap(kind: .staleRound, seed: 14),
        KnownGap(kind: .symlink, seed: 1),
        KnownGap(kind: .gitlink, seed: 1),
        KnownGap(kind: .deepTree, seed: 1),
        KnownGap(kind: .trailerTrick, seed: 10),
        KnownGap(kind: .parallelRounds, seed: 61),
        KnownGap(kind: .voidByCreator, seed: 17),
        // Issue 14 class 2: round 1 (bob reviews and signs), carol declines, bot sends again at the same digest, bob
        // reviews round 2; then bob's round-1 signature comes back through a merge, as a copy with its armor
        // re-encoded, or signed again with his second key. The model counts neither in round 2.
        KnownGap(kind: .armorCopy, script: roundTwo + [.attack(.armorCopy, 0, pick: 3)]),
        KnownGap(kind: .replay, script: roundTwo + [.attack(.replay, 0, pick: 1)]),
        // bob reviews; carol signs on a clone while bob declines on main; joined: declined, with carol's fill in the
        // union (first parent first, then precedence) by the model's join.
        // Section 9: alice's invite writes an invitation for another agreement than Sigit-Agreement and revises ag-0
        // in the same commit. FORMAT.md: malformed-event, counts nothing; the ledger once reported it but counted the revision.
        KnownGap(kind: .inviteMalformedDraft, script: [.invite(0, pick: 0), .draft(0, pick: 0), .attack(.inviteMalformedDraft, 0, pick: 3)]),
        KnownGap(kind: .parallelTerminal, script: [.draft(0, pick: 0), .send(0, pick: 1), .approve(0, pick: 0), .fork(1),
                                                   .on(0, .approve(0, pick: 1)), .decline(0, pick: 0), .join(0)]),
    ]
}
