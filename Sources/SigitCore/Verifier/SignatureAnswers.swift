import Foundation
import GitKit
import SSHSig

/// Signature answers by commit, held compactly: a 4-byte code per commit, and each signing key and each reason once.
/// A value: the signature pipeline reads a copy on its own threads while the ledger adds answers to its own.
struct SignatureAnswers: Sendable {
    /// Per commit: -1 unsigned, 0… the index of the key of a good signature, ≤ -2 the reason (-2 - index) of an
    /// invalid one.
    private var codes: [ObjectID: Int32] = [:]
    private var keys: [SSHPublicKey] = []
    private var keyIndex: [Data: Int32] = [:]
    private var reasons: [String] = []
    private var reasonIndex: [String: Int32] = [:]
    /// The event identity of each commit with a good signature (a walk that takes the answer from here does not read
    /// the signed payload again).
    private var events: [ObjectID: EventID] = [:]
    /// The type, flags and counter of each good signature by a FIDO key (few commits: kept apart from `codes`).
    private var fido: [ObjectID: SSHSignatureDetails] = [:]

    /// No answers.
    init() {}

    /// How many commits have an answer.
    var count: Int { codes.count }

    /// The ids of the commits with an answer, in no particular order.
    var commits: Dictionary<ObjectID, Int32>.Keys { codes.keys }

    /// The answer for `commit`, if known.
    subscript(commit: ObjectID) -> SignatureCheck? {
        guard let code = codes[commit] else { return nil }
        if code == -1 { return .unsigned }
        if code >= 0 { return Int(code) < keys.count ? .good(keys[Int(code)]) : nil }
        let reason = Int(-2 - code)
        return reason < reasons.count ? .invalid(reasons[reason]) : nil
    }

    /// The event identity of `commit`, when its signature is good and known.
    func event(_ commit: ObjectID) -> EventID? { events[commit] }

    /// The details of `commit`'s good signature, when its key is a FIDO key.
    func details(_ commit: ObjectID) -> SSHSignatureDetails? { fido[commit] }

    /// Records the answer for `commit` and, for a good signature, its event identity (a commit's answer never
    /// changes: an existing one is kept). A good answer without an identity is not recorded. `details` are kept for
    /// a good signature by a FIDO key only.
    mutating func insert(_ check: SignatureCheck, event: EventID?, details: SSHSignatureDetails? = nil, for commit: ObjectID) {
        guard codes[commit] == nil else { return }
        if check.key != nil {
            guard let event else { return }
            events[commit] = event
            if let details, details.isHardwareBacked { fido[commit] = details }
        }
        switch check {
        case .unsigned:
            codes[commit] = -1
        case .good(let key):
            if let index = keyIndex[key.blob] {
                codes[commit] = index
            } else {
                let index = Int32(keys.count)
                keys.append(key)
                keyIndex[key.blob] = index
                codes[commit] = index
            }
        case .invalid(let reason):
            if let index = reasonIndex[reason] {
                codes[commit] = -2 - index
            } else {
                let index = Int32(reasons.count)
                reasons.append(reason)
                reasonIndex[reason] = index
                codes[commit] = -2 - index
            }
        }
    }
}
