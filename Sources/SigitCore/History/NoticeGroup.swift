/// One notice a `notify` event records: the trailer group `Sigit-Agreement`, `Sigit-Step` (when the notice concerns
/// a step), `Sigit-Recipient`, `Sigit-Notice`, `Sigit-Channel` (docs/FORMAT.md section 6).
public struct NoticeGroup: Sendable, Hashable {
    /// `Sigit-Agreement`.
    public var agreement: String
    /// `Sigit-Step`.
    public var step: String?
    /// `Sigit-Recipient`.
    public var recipient: String
    /// `Sigit-Notice`.
    public var notice: String
    /// `Sigit-Channel`: the channel type.
    public var channel: String

    /// A group.
    public init(agreement: String, step: String?, recipient: String, notice: String, channel: String) {
        self.agreement = agreement
        self.step = step
        self.recipient = recipient
        self.notice = notice
        self.channel = channel
    }

    /// The trailer lines, in the order a batched notify event must hold them.
    var lines: [String] {
        ["Sigit-Agreement: \(agreement)"] + (step.map { ["Sigit-Step: \($0)"] } ?? [])
            + ["Sigit-Recipient: \(recipient)", "Sigit-Notice: \(notice)", "Sigit-Channel: \(channel)"]
    }

    /// Checks the group's values (the rules of a single notify event's trailers).
    func check() throws {
        guard Name.isValid(agreement) else { throw TrailerProblem("invalid agreement id \(Name.quoted(agreement))") }
        guard Name.isValid(recipient) else { throw TrailerProblem("a notify event needs a valid Sigit-Recipient") }
        guard NoticeKind(rawValue: notice) != nil else {
            throw TrailerProblem("a notify event needs Sigit-Notice: one of \(NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Name.isValid(channel) else { throw TrailerProblem("a notify event needs a Sigit-Channel like smtp or webhook") }
    }
}
