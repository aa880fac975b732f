/// Findings split by severity, in their order: what `verify` and `verify --export` print and count.
public struct FindingSplit: Sendable {
    /// The violations: the check fails when there is one.
    public let violations: [Finding]
    /// The warnings: shown, never a failure.
    public let warnings: [Finding]

    /// Splits `findings`.
    public init(_ findings: [Finding]) {
        violations = findings.filter { $0.severity == .violation }
        warnings = findings.filter { $0.severity == .warning }
    }
}
