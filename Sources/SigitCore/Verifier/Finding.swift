import GitKit

/// A violation or warning that `sigit verify` reports about one commit.
public struct Finding: Sendable, Equatable {
    /// Violation (the policy did not allow it) or warning (allowed, but odd or no longer counting).
    public enum Severity: String, Sendable { case violation, warning }
    /// The commit.
    public let commit: ObjectID
    /// The rule.
    public let rule: Rule
    /// One plain sentence.
    public let message: String
    /// Violation or warning.
    public let severity: Severity

    /// A finding.
    public init(commit: ObjectID, rule: Rule, message: String, severity: Severity = .violation) {
        self.commit = commit
        self.rule = rule
        self.message = message
        self.severity = severity
    }
}
