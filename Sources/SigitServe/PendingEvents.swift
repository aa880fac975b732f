import Foundation
import SigitCore

/// Prepared events waiting for the browser's signature, by random id: in memory only, single use, gone after
/// `lifetime` seconds, at most `capacity` at once (the oldest is dropped first).
actor PendingEvents {
    /// One waiting event and whose it is.
    struct Entry: Sendable {
        let prepared: PreparedEvent
        let secretSHA256: String
        let created: Date
    }

    private let lifetime: TimeInterval
    private let capacity: Int
    private var entries: [String: Entry] = [:]

    /// A store whose entries live `lifetime` seconds, at most `capacity` of them.
    init(lifetime: TimeInterval = 300, capacity: Int = 64) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Keeps `prepared` for the invitation `secretSHA256`; returns its new id.
    func add(_ prepared: PreparedEvent, secretSHA256: String, now: Date = Date()) -> String {
        entries = entries.filter { now.timeIntervalSince($0.value.created) < lifetime }
        while entries.count >= capacity, let oldest = entries.min(by: { $0.value.created < $1.value.created }) {
            entries[oldest.key] = nil
        }
        var generator = SystemRandomNumberGenerator()
        let id = Base64URL.encode(Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
        entries[id] = Entry(prepared: prepared, secretSHA256: secretSHA256, created: now)
        return id
    }

    /// Takes (removes) the entry `id` of the invitation `secretSHA256`; nil when unknown, expired or another invitation's.
    func take(_ id: String, secretSHA256: String, now: Date = Date()) -> Entry? {
        guard let entry = entries[id], entry.secretSHA256 == secretSHA256 else { return nil }
        entries[id] = nil
        return now.timeIntervalSince(entry.created) < lifetime ? entry : nil
    }
}
