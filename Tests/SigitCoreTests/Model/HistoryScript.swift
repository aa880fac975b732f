import PropertyBased

/// A random script of history operations, drawn from one seed (the property-based package's Xoshiro generator), so
/// `SIGIT_MODEL_SEED=<n>` writes the same history again.
enum HistoryScript {
    /// `invitations` adds section 9: erin invited at the start and enrolled, invites and enrollments later, erin's
    /// decisions and comments, and the invitation mutation kinds (without it none of those is drawn, so every other
    /// seed writes the history it always wrote). `timestamps` adds section 8 the same way: the fixture's CA listed and
    /// bot given `timestamp` (usually at the start), timestamp events, bob's key revoked as compromised, and the
    /// trusted-time mutation kinds.
    static func generate(seed: UInt64, kinds: Set<MutationKind>, length fixed: Int? = nil, comments: Bool = false, invitations: Bool = false,
                         timestamps: Bool = false) -> [HistoryOp] {
        var rng = Xoshiro(seed: (seed &+ 0x9E37_79B9_7F4A_7C15, seed ^ 0xD1B5_4A32_D192_ED03, seed &* 0x2545_F491_4F6C_DD1D | 1, 0x5851_F42D_4C95_7F2D))
        func int(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
        func pick() -> Int { int(10) == 0 ? 100 + int(10) : int(10) }
        let agreements = fixed == nil ? 1 + int(3) : 20
        func agreement() -> Int { int(agreements) }
        let attacks = MutationKind.allCases.filter {
            kinds.contains($0) && ![.parallelSlot, .parallelRounds, .parallelTerminal, .voidByCreator].contains($0) && (invitations || !MutationKind.invitationKinds.contains($0))
                && (timestamps || !MutationKind.timestampKinds.contains($0))
        }
        var ops: [HistoryOp] = [.draft(0, pick: int(4))]
        if invitations {
            // erin invited first (so new agreements name erin); two times in three an attack on the still unused
            // invitation, then (two times in three) the valid enrollment; later ops may enroll, invite again, attack.
            ops = [.invite(agreement(), pick: int(4)), .draft(0, pick: int(4))]
            let early = attacks.filter { MutationKind.invitationKinds.contains($0) && $0 != .inviteeScope }
            if !early.isEmpty, int(3) != 0 { ops.append(.attack(early[int(early.count)], agreement(), pick: int(12))) }
            if int(3) != 0 { ops.append(.enroll(pick: int(4))) }
        }
        if timestamps {
            // Three times in four the TSA is trusted from the start, half the time bot may stamp anything.
            if int(4) != 0 { ops.append(.timestamping(0, pick: int(12))) }
            if int(2) == 0 { ops.append(.timestamping(1, pick: int(12))) }
        }
        let length = fixed ?? (20 + int(40))
        while ops.count < length {
            let roll = int(100)
            let cloneOp: () -> HistoryOp = {
                let a = agreement()
                switch int(10) {
                case 0..<5: return .approve(a, pick: pick())
                case 5..<7: return .delegate(a, pick: pick())
                case 7: return .notify(a, pick: pick())
                case 8: return kinds.contains(.parallelRounds) ? [.draft(a, pick: pick()), .send(a, pick: pick()), .decline(a, pick: pick()), .void(a, pick: pick())][int(4)] : .approve(a, pick: pick())
                default: return .approve(a, pick: pick())
                }
            }
            switch roll {
            case 0..<8: ops.append(.draft(agreement(), pick: pick()))
            case 8..<17: ops.append(.send(agreement(), pick: pick()))
            case 17..<41:
                // Comments only where asked for: the stream of the other seeds (and the kept witnesses) stays as it was.
                if timestamps && roll >= 33 {
                    ops.append(roll >= 39 ? .on(int(2), .timestamping(2, pick: pick())) : .timestamping(2, pick: pick()))
                } else if invitations && roll >= 29 {
                    ops.append(roll >= 38 ? .on(int(2), .invitee(agreement(), pick: pick())) : .invitee(agreement(), pick: pick()))
                } else {
                    ops.append(comments && roll >= 31 ? .comment(agreement(), pick: pick()) : .approve(agreement(), pick: pick()))
                }
            case 41..<44: ops.append(.policy([0, 3, 3, 1][int(4)]))
            case 44..<48: ops.append(.decline(agreement(), pick: pick()))
            case 48..<55: ops.append(.delegate(agreement(), pick: pick()))
            case 55..<57: ops.append(.void(agreement(), pick: pick()))
            case 57..<60: ops.append(.notify(agreement(), pick: pick()))
            case 60..<64:
                if timestamps && roll >= 61 {
                    ops.append(.timestamping(roll <= 62 ? 3 : [0, 1, 3][int(3)], pick: pick()))
                } else if invitations && roll >= 62 {
                    ops.append(roll == 62 ? .invite(agreement(), pick: int(4)) : int(2) == 0 ? .enroll(pick: pick()) : .on(int(2), .enroll(pick: pick())))
                } else {
                    ops.append(.policy(int(6)))
                }
            case 64..<70: ops.append(.fork(1 + int(2)))
            case 70..<86: ops.append(.on(int(2), cloneOp()))
            case 86..<91: ops.append(.join(int(3)))
            default:
                let invitationAttacks = attacks.filter(MutationKind.invitationKinds.contains)
                let timestampAttacks = attacks.filter(MutationKind.timestampKinds.contains)
                if attacks.isEmpty {
                    ops.append(.approve(agreement(), pick: pick()))
                } else if !timestampAttacks.isEmpty, int(2) == 0 {
                    // Histories with timestamps: half their attacks are on trusted time.
                    ops.append(.attack(timestampAttacks[int(timestampAttacks.count)], agreement(), pick: int(12)))
                } else if !invitationAttacks.isEmpty, int(2) == 0 {
                    // Histories with invitations: half their attacks are on the invitation.
                    ops.append(.attack(invitationAttacks[int(invitationAttacks.count)], agreement(), pick: int(12)))
                } else {
                    ops.append(.attack(attacks[int(attacks.count)], agreement(), pick: int(12)))
                }
            }
        }
        return ops
    }
}
