/// Who may fill which slot of a step now (spec section 4): the one answer the verifier (`approve`, `decline`),
/// `sigit status`, `sigit inbox`, `sigit notify` and the readiness check of `sigit send` share, so they cannot
/// disagree about whose turn it is.
public struct Eligibility {
    /// Why an identity may not fill a slot of the step now, in the verifier's words.
    public struct Refusal: Error, Equatable {
        /// The rule a commit doing it anyway breaks.
        public let rule: Rule
        /// One plain sentence.
        public let message: String
    }

    /// The slot an identity fills and the recipient it fills it for (itself, or whom it holds a delegation from).
    public struct Fill: Equatable {
        /// Index in the step's `approvers`.
        public let slot: Int
        /// The recipient: the signer, or the one it acts for.
        public let principal: String
    }

    /// The agreement as of the state judged.
    public let track: AgreementTrack
    /// The step.
    public let step: Step
    /// The policy in force.
    public let policy: Policy

    /// The eligibility of `step` of `track` under `policy`.
    public init(track: AgreementTrack, step: Step, policy: Policy) {
        self.track = track
        self.step = step
        self.policy = policy
    }

    /// The slot `signer` fills now, acting for `onBehalfOf` (as a delegate) or for itself; or why it may not.
    /// The checks and their order are the verifier's: delegation, one slot per identity, an open slot the principal
    /// is admitted to (its own identity slot first), humans-only, allow-author.
    public func fill(by signer: Identity, onBehalfOf behalf: String?) -> Result<Fill, Refusal> {
        let id = track.id
        let principal: String
        if let behalf {
            guard track.delegations[step.name]?[behalf]?.delegate == signer.id else {
                return .failure(Refusal(rule: .delegation, message: "\(signer.id) acts for \(Name.quoted(behalf)) in step \(step.name) of \(id) without a live delegation from them"))
            }
            principal = behalf
        } else {
            if let handed = track.delegations[step.name]?[signer.id] {
                return .failure(Refusal(rule: .delegation, message: "\(signer.id) delegated step \(step.name) of \(id) to \(handed.delegate ?? "?"); only the delegate acts for them in this round"))
            }
            principal = signer.id
        }
        let fills = track.fills[step.name] ?? []
        let acting: Set<String> = [signer.id, principal]
        if fills.contains(where: { !acting.isDisjoint(with: [$0.event.identity, $0.event.onBehalfOf].compactMap { $0 }) }) {
            return .failure(Refusal(rule: .notRecipient, message: "\(principal == signer.id ? signer.id : "\(signer.id) (for \(principal))") already filled a slot of step \(step.name) of \(id); one identity fills at most one slot"))
        }
        let taken = Set(fills.map(\.slot))
        let candidates = step.approvers.indices.filter { !taken.contains($0) && step.approvers[$0].admits(principal, in: policy) }
        let direct = candidates.first { step.approvers[$0] == .identity(principal) }
        guard let slot = direct ?? candidates.first else {
            return .failure(Refusal(rule: .notRecipient, message: "\(principal) is not a recipient with an open slot in step \(step.name) of \(id)"))
        }
        if step.humansOnly, !signer.kind.isHuman {
            return .failure(Refusal(rule: .humansOnly, message: "\(signer.id) is a \(signer.kind.rawValue) identity and step \(step.name) of \(id) needs a human"))
        }
        if !step.allowAuthor, let author = [signer.id, principal].first(where: { track.authors.contains($0) }) {
            return .failure(Refusal(rule: .separationOfDuties, message: "\(author) made the current revision of \(id) and may not fill a slot of step \(step.name), directly or through a delegate (allow-author is false)"))
        }
        return .success(Fill(slot: slot, principal: principal))
    }

    /// What `identity` would fill now: acting for whoever delegated the step to it, else for itself.
    public func fill(by identity: Identity) -> Fill? {
        let behalf = track.delegation(of: step.name, heldBy: identity.id)?.identity
        return try? fill(by: identity, onBehalfOf: behalf).get()
    }

    /// Identities whose turn it is: everyone who may fill an open slot now (a delegate in place of the recipient who
    /// delegated), in workflow order, without repeats.
    public func pendingRecipients() -> [String] {
        let taken = Set((track.fills[step.name] ?? []).map(\.slot))
        var out: [String] = []
        var seen = Set<String>()
        for (index, slot) in step.approvers.enumerated() where !taken.contains(index) {
            for candidate in Self.holders(of: slot, policy: policy) {
                let actor = track.delegations[step.name]?[candidate]?.delegate ?? candidate
                guard let identity = policy.identities[actor], fill(by: identity) != nil, seen.insert(actor).inserted else { continue }
                out.append(actor)
            }
        }
        return out
    }

    /// Whether some identity may fill slot `index` now (itself, or a delegate in its place).
    public func isFillable(_ index: Int) -> Bool {
        guard !(track.fills[step.name] ?? []).contains(where: { $0.slot == index }) else { return false }
        return Self.holders(of: step.approvers[index], policy: policy).contains { candidate in
            let actor = track.delegations[step.name]?[candidate]?.delegate ?? candidate
            guard let identity = policy.identities[actor] else { return false }
            return (try? fill(by: identity, onBehalfOf: actor == candidate ? nil : candidate).get()) != nil
        }
    }

    /// The identities a slot names (a role slot: its members).
    static func holders(of slot: Slot, policy: Policy) -> [String] {
        switch slot {
        case .identity(let name): return policy.identities[name] == nil ? [] : [name]
        case .role(let role): return policy.members(of: role)
        }
    }

    /// Why a workflow can never be completed by the identities of `policy` when `authors` made the revision being
    /// sent, or nil: for each step, at least `needed` slots must be fillable by distinct identities that pass
    /// humans-only and allow-author (a matching of slots to people, not only a count).
    public static func unfinishable(_ workflow: [Step], authors: Set<String>, policy: Policy) -> String? {
        for step in workflow {
            let people: [[String]] = step.approvers.map { slot in
                holders(of: slot, policy: policy).filter { name in
                    guard let identity = policy.identities[name] else { return false }
                    if step.humansOnly, !identity.kind.isHuman { return false }
                    if !step.allowAuthor, authors.contains(name) { return false }
                    return true
                }
            }
            let matched = maximumMatching(people)
            if matched < step.needed {
                let blocked = step.approvers.indices.filter { people[$0].isEmpty }.map { step.approvers[$0].description }
                let why = blocked.isEmpty ? "only \(matched) distinct identities can fill its slots" : "nobody may fill \(blocked.joined(separator: ", "))"
                return "step \(step.name) needs \(Plural.count(step.needed, "slot")) but \(why) (humans-only: \(step.humansOnly), allow-author: \(step.allowAuthor), authors of this revision: \(authors.sorted().joined(separator: ", ")))"
            }
        }
        return nil
    }

    /// The size of a largest assignment of slots to distinct people (augmenting paths; steps are small).
    static func maximumMatching(_ candidates: [[String]]) -> Int {
        var owner: [String: Int] = [:]
        func assign(_ slot: Int, _ visited: inout Set<String>) -> Bool {
            for person in candidates[slot] where visited.insert(person).inserted {
                if let other = owner[person] {
                    guard assign(other, &visited) else { continue }
                }
                owner[person] = slot
                return true
            }
            return false
        }
        var count = 0
        for slot in candidates.indices {
            var visited = Set<String>()
            if assign(slot, &visited) { count += 1 }
        }
        return count
    }
}
