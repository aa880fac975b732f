import GitKit

extension EventTrailers {
    /// The keys of a notice group, in the order a group must hold them (`Sigit-Step` optional).
    static let groupKeys = ["Sigit-Agreement", "Sigit-Step", "Sigit-Recipient", "Sigit-Notice", "Sigit-Channel"]

    /// Reads a batched notify event: `Sigit-Version`, `Sigit-Action: notify` and `Sigit-Identity`, each once, then
    /// two or more complete groups, each exactly `Sigit-Agreement`, [`Sigit-Step`], `Sigit-Recipient`,
    /// `Sigit-Notice`, `Sigit-Channel` in that order, no two alike. Nil when no `Sigit-*` key repeats (the
    /// message is read as a single event); throws when one repeats in anything else, so every other repetition
    /// stays `malformed-event`.
    static func parseBatch(_ trailers: [Trailer]) throws -> EventTrailers? {
        let sigit = trailers.filter { $0.key.utf8.count >= 6 && $0.key.lowercased().hasPrefix("sigit-") }
        var counts: [String: Int] = [:]
        var keys: [String] = []
        for trailer in sigit {
            guard let key = lowercasedKeys[trailer.key.lowercased()] else { throw TrailerProblem("unknown trailer \(Name.quoted(trailer.key))") }
            keys.append(key)
            counts[key, default: 0] += 1
        }
        guard let repeated = keys.first(where: { (counts[$0] ?? 0) > 1 }) else { return nil }
        let values = sigit.map { $0.value.trimmedFast(.whitespaces) }
        let isNotify = zip(keys, values).contains { $0 == "Sigit-Action" && $1 == Action.notify.rawValue }
        guard isNotify, groupKeys.contains(repeated) else { throw TrailerProblem("trailer \(repeated) appears twice") }
        for value in values where value.contains("\n") || value.contains("\r") { throw TrailerProblem("a trailer spans several lines") }

        var result = EventTrailers()
        var index = 0
        for key in ["Sigit-Version", "Sigit-Action", "Sigit-Identity"] {
            guard index < keys.count, keys[index] == key else {
                throw TrailerProblem("a notify event with several notices starts with Sigit-Version, Sigit-Action and Sigit-Identity, in that order")
            }
            index += 1
        }
        guard values[1] == Action.notify.rawValue else { throw TrailerProblem("trailer \(repeated) appears twice") }
        result.version = values[0]
        result.action = .notify
        result.identity = values[2]
        guard result.version == "1" else { throw TrailerProblem("unsupported Sigit-Version \(Name.quoted(result.version ?? ""))") }
        var seen = Set<NoticeGroup>()
        while index < keys.count {
            func take(_ key: String) throws -> String {
                guard index < keys.count, keys[index] == key else {
                    throw TrailerProblem("each notice of a notify event is Sigit-Agreement, Sigit-Step (optional), Sigit-Recipient, Sigit-Notice, Sigit-Channel, in that order and complete")
                }
                index += 1
                return values[index - 1]
            }
            let agreement = try take("Sigit-Agreement")
            let step = index < keys.count && keys[index] == "Sigit-Step" ? try take("Sigit-Step") : nil
            let group = NoticeGroup(agreement: agreement, step: step, recipient: try take("Sigit-Recipient"), notice: try take("Sigit-Notice"),
                                    channel: try take("Sigit-Channel"))
            try group.check()
            guard seen.insert(group).inserted else { throw TrailerProblem("a notify event records the same notice twice") }
            result.notices.append(group)
        }
        guard !result.notices.isEmpty else { throw TrailerProblem("Sigit-Agreement is missing") }
        result = .notify(version: result.version ?? "1", identity: result.identity ?? "", notices: result.notices)
        return result
    }

    /// A notify event by `identity` recording `notices`, as the reader returns it: the single-notice fields hold the
    /// first notice.
    public static func notify(version: String = "1", identity: String, notices: [NoticeGroup]) -> EventTrailers {
        var result = EventTrailers()
        result.version = version
        result.action = .notify
        result.identity = identity
        result.notices = notices
        if let first = notices.first {
            result.agreement = first.agreement
            result.step = first.step
            result.recipient = first.recipient
            result.notice = first.notice
            result.channel = first.channel
        }
        return result
    }

    /// The agreements the event names: every notice's (first appearance order) for notify, else `Sigit-Agreement`.
    public var agreements: [String] {
        guard notices.isEmpty else {
            var seen = Set<String>()
            return notices.map(\.agreement).filter { seen.insert($0).inserted }
        }
        return agreement.map { [$0] } ?? []
    }
}
