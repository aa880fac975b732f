import Foundation

/// What `sigit status` lists for each agreement: the head of `AgreementStatus` without its per-slot detail, so a
/// listing of thousands of agreements computes only what it prints.
public struct AgreementSummary: Sendable, Codable, Equatable {
    public let id: String
    public let title: String
    public let state: String
    public let digest: String
    public let currentStep: String?
    public let overdue: Bool
    /// The commit since which the files in the tree are not the content this state counts; nil when they are.
    public let tamperedAt: String?
    /// For a declined or voided agreement: the reason the decline or void gave (untrusted text).
    public let reason: String?
    /// Comment threads no comment resolved.
    public let openThreads: Int

    enum CodingKeys: String, CodingKey {
        case id, title, state, digest, overdue, reason
        case currentStep = "current-step"
        case tamperedAt = "tampered-at"
        case openThreads = "open-threads"
    }

    /// Whether `status --check` passes: completed, and the files are the content that was completed.
    public var isSettledCompletion: Bool { state == "completed" && tamperedAt == nil }

    /// The summary of `track` as of `now`.
    public init(track: AgreementTrack, now: Date) {
        id = track.id
        title = (try? track.spec.get())?.title ?? ""
        let phase = track.phase(at: now)
        state = phase.rawValue
        digest = track.digest
        currentStep = phase == .inProgress ? track.currentStep?.name : nil
        overdue = NoticeSchedule.overdue(track, now: now)
        tamperedAt = track.tamperedAt?.hex
        reason = switch phase {
        case .declined: track.declined?.text
        case .voided: track.voided?.text
        default: nil
        }
        openThreads = CommentThread.openCount(of: track)
    }

    /// The states `status --state` filters by: every phase, and `tampered`.
    public static let filterStates = AgreementPhase.allCases.map(\.rawValue) + ["tampered"]

    /// Throws a clear error unless `state` is one of `filterStates`.
    public static func checkFilter(_ state: String) throws {
        guard filterStates.contains(state) else {
            throw SigitError.badInput("unknown state \(Name.quoted(state)); use one of \(filterStates.joined(separator: ", "))")
        }
    }

    /// Whether this agreement is in `state` (one of `filterStates`; `tampered`: its files are not the content it counts).
    public func isIn(_ state: String) -> Bool {
        state == "tampered" ? tamperedAt != nil : self.state == state
    }

    /// The first line of `reason`, at most `limit` characters (an ellipsis marks a cut): what a listing prints.
    public static func oneLine(_ reason: String, limit: Int = 72) -> String {
        let first = reason.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let cut = first.count > limit || first.count < reason.trimmingCharacters(in: .whitespacesAndNewlines).count
        return String(first.prefix(limit)) + (cut ? "…" : "")
    }
}
