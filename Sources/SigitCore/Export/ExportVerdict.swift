/// What `sigit verify --export PATH` found.
public struct ExportVerdict: Sendable {
    /// The agreement, its state and the exported commit, as the history says.
    public var id: String
    public var state: String
    public var tip: String
    /// The trust root of the exported history.
    public var root: String
    /// Commits checked by the rules.
    public var checked: Int
    /// Rule findings in the exported history (violations and warnings).
    public var findings: [Finding]
    /// Everything else that does not hold: a file that differs from what the history gives, a wrong trust root.
    public var problems: [String]

    /// True when the history has no violation and every file matches it.
    public var ok: Bool { problems.isEmpty && !findings.contains { $0.severity == .violation } }
}
