/// An approval that fills one slot of a step.
public struct SlotFill: Sendable, Equatable {
    /// Index of the slot in the step's `approvers`.
    public let slot: Int
    /// The approving event.
    public let event: RecordedEvent
}
