import Foundation
import GitKit
import TrustedTime
import X509

extension Workspace {
    /// `sigit timestamp`: asks TSAs for tokens over the selected events that have no counted token and records every
    /// token obtained in one signed `timestamp` event (spec section 8) under `.sigit/timestamps/<event>.tsr`.
    ///
    /// Per event the TSAs are asked in order until one gives a token that counts (granted, verifying with the
    /// event's imprint and the request's nonce, chaining to an authority of the policy in force); a TSA that fails
    /// is reported once in `tsaFailures` and not asked again in this run. Without the `timestamp` permission an
    /// identity stamps only the events it signed itself (the others are listed in `othersEvents`). Nothing is
    /// written when nothing was stamped. Refuses, before asking anyone, a policy without authorities, no TSA to
    /// ask, a bad URL and an unknown agreement. The write is judged like any event before the branch moves.
    public func timestamp(_ run: TimestampRun) throws -> TimestampOutcome {
        let (_, result) = try state()
        let state = result.state
        guard let policy = state.policy else { throw SigitError.repository("no policy in force") }
        guard let section = policy.timestamping, !section.authorities.isEmpty else {
            throw SigitError.notAllowed("the policy in force lists no time-stamping authority (timestamping: authorities: in .sigit/policy.yml), so no token would count; nothing was written")
        }
        let tsas = try Self.tsaURLs(run.tsas, section)
        let roots = section.authorities.compactMap { try? $0.parsedCertificate() }
        let me = try me(in: policy)
        var outcome = TimestampOutcome(identity: me.id)
        var todo: [StampableEvent] = []
        for event in try selectedEvents(run.selection, state) {
            if state.trustedTimes[event.event] != nil {
                outcome.alreadyStamped += 1
            } else if policy.allows(.timestamp, me.id) || me.keys.contains(where: { $0.key.blob == event.keyBlob }) {
                todo.append(event)
            } else {
                outcome.othersEvents.append(Self.item(event))
            }
        }
        guard !todo.isEmpty else { return outcome }

        var tokens: [EventID: (TimeStampToken, VerifiedTime, String)] = [:]
        var failed = Set<String>()
        for event in todo {
            let object = try repo.commitObject(event.commit)
            for url in tsas where !failed.contains(url) && tokens[event.event] == nil {
                let client = TSAClient(url: url, trustedRoots: roots, timeout: run.timeout, caFile: run.caFile)
                switch Result(catching: { () throws(TSAFailure) in try client.stamp(object) }) {
                case .success(let answer):
                    tokens[event.event] = (answer.token, answer.verified, url)
                case .failure(let failure):
                    failed.insert(url)
                    outcome.tsaFailures.append(failure)
                }
            }
        }
        outcome.unstamped = todo.filter { tokens[$0.event] == nil }.map(Self.item)
        guard !tokens.isEmpty else { return outcome }

        var recorded = Set<EventID>()  // the events of the draft that landed (a retry after the branch moved rebuilds it)
        let written = try write { current, signer in
            let open = Set(current.stampableEvents().map(\.event))
            var files: [String: EventDraft.FileChange] = [:]
            recorded = []
            for (event, (token, _, _)) in tokens where open.contains(event) && current.trustedTimes[event] == nil {
                files[TimestampFiles.path(for: event)] = .write(token.der, executable: false)
                recorded.insert(event)
            }
            guard !files.isEmpty else {
                throw SigitError.conflict("every event this run stamped got a token from another timestamp event meanwhile; nothing was written")
            }
            let noun = files.count == 1 ? "event" : "events"
            return EventDraft(subject: "timestamp \(files.count) \(noun)", trailers: self.trailers(.timestamp, signer, agreement: nil),
                              files: files, checkoutPaths: files.keys.sorted())
        }
        outcome.commit = written.commit
        for event in todo {
            guard let (_, verified, url) = tokens[event.event] else { continue }
            guard recorded.contains(event.event) else {
                outcome.alreadyStamped += 1  // another timestamp event covered it meanwhile
                continue
            }
            var item = Self.item(event)
            item.tsa = url
            item.genTime = verified.genTime
            item.authority = written.state.trustedTimes[event.event]?.authority
                ?? section.authorities.first { (try? $0.parsedCertificate()) == verified.authority }?.name
            item.path = TimestampFiles.path(for: event.event)
            outcome.stamped.append(item)
        }
        return outcome
    }

    /// The TSAs to ask: `given` (checked), else the policy authorities' urls in order; refuses none at all.
    static func tsaURLs(_ given: [String], _ section: Timestamping) throws -> [String] {
        for url in given {
            do { try TSAClient.check(url: url) } catch { throw SigitError.badInput("--tsa: \(error); nothing was written") }
        }
        var urls: [String] = []
        for url in given.isEmpty ? section.authorities.compactMap(\.url) : given where !urls.contains(url) { urls.append(url) }
        guard !urls.isEmpty else {
            throw SigitError.badInput("no TSA to ask: pass --tsa URL, or give an authority of the policy a url (timestamping: authorities: url:); nothing was written")
        }
        return urls
    }

    /// The counted events `selection` names, oldest first; refuses an unknown agreement or a commit that is no such event.
    func selectedEvents(_ selection: TimestampRun.Selection, _ state: RepositoryState) throws -> [StampableEvent] {
        switch selection {
        case .all:
            return state.stampableEvents()
        case .agreements(let ids):
            for id in ids {
                try Name.check(id, "agreement id")
                _ = try track(id, state)
            }
            return state.stampableEvents(agreements: Set(ids))
        case .commits(let commits):
            let events = state.stampableEvents().filter { commits.contains($0.commit) }
            if let missing = commits.first(where: { commit in !events.contains { $0.commit == commit } }) {
                throw SigitError.badInput("commit \(missing.hex.prefix(12)) is no counted event of this branch; nothing was written")
            }
            return events
        }
    }

    /// An unstamped item for `event`.
    static func item(_ event: StampableEvent) -> TimestampOutcome.Item {
        TimestampOutcome.Item(event: event.event, commit: event.commit, agreement: event.agreement)
    }
}
