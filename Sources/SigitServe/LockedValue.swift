import Foundation

/// A value shared between the server's task and the thread that started it, behind a lock.
final class LockedValue<Value>: @unchecked Sendable {
    // Invariant: `stored` is read and written only under `lock`, so no two threads touch it at once.
    private let lock = NSLock()
    private var stored: Value

    /// A box holding `value`.
    init(_ value: Value) {
        stored = value
    }

    /// The value (read and written under the lock).
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
