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

    enum CodingKeys: String, CodingKey {
        case id, title, state, digest, overdue
        case currentStep = "current-step"
        case tamperedAt = "tampered-at"
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
    }
}
