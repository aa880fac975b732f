import Foundation

/// One comment thread of an agreement, as `review`, `status --json` and certificates show it: the first comment
/// (its anchor), the replies, and whether a comment resolved it. Comments decide nothing.
public struct CommentThread: Sendable, Codable, Equatable {
    /// One comment of a thread.
    public struct Post: Sendable, Codable, Equatable {
        /// The event id (`sha256:…`): what `--reply` and `--resolve` name.
        public let event: String
        public let commit: String
        /// Committer time (RFC 3339).
        public let time: String
        public let identity: String
        /// The comment's text (untrusted: escape before printing).
        public let text: String
        /// True for the comment that resolved the thread.
        public let resolves: Bool
        /// True when made after the agreement was completed or voided.
        public let afterEnd: Bool

        enum CodingKeys: String, CodingKey {
            case event, commit, time, identity, text, resolves
            case afterEnd = "after-end"
        }
    }

    /// The thread's id: its first comment's event id.
    public let id: String
    /// The file of the agreement's folder it is about; nil for a comment on the whole agreement.
    public let file: String?
    /// The line of `file`.
    public let line: Int?
    /// The content digest the first comment was made on.
    public let digest: String
    /// True when that digest is the content now.
    public let current: Bool
    /// The first comment.
    public let first: Post
    /// Replies and the resolving comment, oldest first.
    public let replies: [Post]
    /// True once a comment resolved it.
    public let resolved: Bool

    /// The threads of `track`, oldest first. A reply whose first comment no longer counts (its key was revoked) is
    /// not shown.
    public static func threads(of track: AgreementTrack) -> [CommentThread] {
        let comments = track.events.filter { $0.kind == .comment }.sorted { $0.order < $1.order }
        guard !comments.isEmpty else { return [] }
        let end = [track.completed, track.voided].compactMap { $0?.order }.min()
        func post(_ event: RecordedEvent) -> Post {
            Post(event: event.eventID.description, commit: event.commit.hex, time: RFC3339.format(event.time), identity: event.identity, text: event.text,
                 resolves: event.comment?.resolves ?? false, afterEnd: end.map { event.order > $0 } ?? false)
        }
        var answers: [EventID: [RecordedEvent]] = [:]
        for event in comments { if let root = event.comment?.thread { answers[root, default: []].append(event) } }
        return comments.filter { $0.comment?.thread == nil }.map { root in
            let replies = answers[root.eventID] ?? []
            return CommentThread(id: root.eventID.description, file: root.comment?.file, line: root.comment?.line, digest: root.digest,
                                 current: root.digest == track.digest, first: post(root), replies: replies.map(post),
                                 resolved: replies.contains { $0.comment?.resolves == true })
        }
    }

    /// How many threads of `track` no comment resolved.
    public static func openCount(of track: AgreementTrack) -> Int {
        var roots = 0
        var resolved = Set<EventID>()
        for event in track.events where event.kind == .comment {
            if let comment = event.comment, let thread = comment.thread {
                if comment.resolves { resolved.insert(thread) }
            } else {
                roots += 1
            }
        }
        return roots - track.events.filter { $0.kind == .comment && $0.comment?.thread == nil && resolved.contains($0.eventID) }.count
    }

    /// Where the thread is: `path:line`, `path`, or `the agreement`.
    public var place: String {
        guard let file else { return "the agreement" }
        return line.map { "\(file):\($0)" } ?? file
    }
}
