/// One step of the workflow as `sigit status ID` shows it.
public struct StepStatus: Sendable, Codable, Equatable {
    /// Step name.
    public let step: String
    /// `waiting`, `pending`, `complete`, `declined`.
    public let state: String
    /// `all` or a number.
    public let require: String
    /// Slots in workflow order.
    public let slots: [SlotStatus]
}
