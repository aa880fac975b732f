/// An error that stops a command; its description is one sentence a user can act on.
public enum SigitError: Error, CustomStringConvertible, Equatable {
    /// The user's input is wrong (a name, an option, a value).
    case badInput(String)
    /// The action is not allowed by the policy or the workflow; nothing was written.
    case notAllowed(String)
    /// The repository is not in a state the command can work with.
    case repository(String)
    /// The signing key could not be found or used.
    case key(String)
    /// Someone else moved the branch at the same time, too often to retry.
    case conflict(String)

    public var description: String {
        switch self {
        case .badInput(let m), .notAllowed(let m), .repository(let m), .key(let m), .conflict(let m): return m
        }
    }
}
