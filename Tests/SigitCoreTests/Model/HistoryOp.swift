/// One step of a generated history, as an intention resolved against the branch it lands on when it is applied
/// (so a shrunk script, with steps dropped, still writes a meaningful history).
indirect enum HistoryOp: Equatable, Sendable, CustomStringConvertible {
    case draft(Int, pick: Int)
    case send(Int, pick: Int)
    case approve(Int, pick: Int)
    case decline(Int, pick: Int)
    case delegate(Int, pick: Int)
    case void(Int, pick: Int)
    case notify(Int, pick: Int)
    case comment(Int, pick: Int)
    /// Spec section 9: alice invites erin for ag-n (a policy change); erin enrolls a passkey; erin, enrolled, approves,
    /// declines or comments in a browser (signed by the passkey).
    case invite(Int, pick: Int)
    case enroll(pick: Int)
    case invitee(Int, pick: Int)
    /// Spec section 8: 0 the policy lists the fixture's CA as a time-stamping authority, 1 bot gets `timestamp`, 2 a
    /// timestamp event over counted events without a token, 3 bob's key revoked as compromised since a time between events.
    case timestamping(Int, pick: Int)
    case policy(Int)
    case fork(Int)
    case on(Int, HistoryOp)
    case join(Int)
    case attack(MutationKind, Int, pick: Int)

    var description: String {
        switch self {
        case .draft(let a, let p): "draft(ag-\(a), \(p))"
        case .send(let a, let p): "send(ag-\(a), \(p))"
        case .approve(let a, let p): "approve(ag-\(a), \(p))"
        case .decline(let a, let p): "decline(ag-\(a), \(p))"
        case .delegate(let a, let p): "delegate(ag-\(a), \(p))"
        case .void(let a, let p): "void(ag-\(a), \(p))"
        case .notify(let a, let p): "notify(ag-\(a), \(p))"
        case .comment(let a, let p): "comment(ag-\(a), \(p))"
        case .invite(let a, let p): "invite(ag-\(a), \(p))"
        case .enroll(let p): "enroll(\(p))"
        case .invitee(let a, let p): "invitee(ag-\(a), \(p))"
        case .timestamping(let k, let p): "\(["trust-tsa", "grant-timestamp", "stamp", "compromise"][k % 4])(\(p))"
        case .policy(let k): "policy(\(k))"
        case .fork(let n): "fork(\(n))"
        case .on(let b, let op): "clone\(b):\(op)"
        case .join(let s): "join(\(s))"
        case .attack(let kind, let a, let p): "\(kind.rawValue)(ag-\(a), \(p))"
        }
    }
}
