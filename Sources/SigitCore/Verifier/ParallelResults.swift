/// Results written by parallel workers, each to its own slots: one buffer, allocated once, no lock needed because no
/// two workers write the same index and nothing reads before they all finished (`concurrentPerform` returns).
final class ParallelResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Value) { slots[index] = value }
    func value(_ index: Int) -> Value? { slots[index] }
}
