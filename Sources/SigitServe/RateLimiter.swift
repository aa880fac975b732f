import Foundation

/// Fixed-window counters of attempts per key (an invitation's secret hash, a client address), bounded in memory:
/// when `capacity` keys are tracked, windows that ended are dropped, and if none ended a new key is refused.
actor RateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private let capacity: Int
    private var counters: [String: (start: Date, count: Int)] = [:]

    /// At most `limit` attempts per key in each `window` seconds, for at most `capacity` keys at once.
    init(limit: Int, window: TimeInterval = 60, capacity: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
    }

    /// Counts one attempt for `key`; false when the key is over its limit (or the table is full of live keys).
    func allow(_ key: String, now: Date = Date()) -> Bool {
        if var counter = counters[key], now.timeIntervalSince(counter.start) < window {
            counter.count += 1
            counters[key] = counter
            return counter.count <= limit
        }
        if counters[key] == nil, counters.count >= capacity {
            counters = counters.filter { now.timeIntervalSince($0.value.start) < window }
            guard counters.count < capacity else { return false }
        }
        counters[key] = (now, 1)
        return limit >= 1
    }
}
