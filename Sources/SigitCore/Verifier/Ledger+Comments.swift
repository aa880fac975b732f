import Foundation
import GitKit

extension Ledger {
    /// The rules for a comment (docs/FORMAT.md, *comment*); returns its anchor and thread link when it counts.
    /// A comment decides nothing: it may be made in any state but `invalid`, and it never moves the agreement's state.
    func judgeComment(_ c: CommitRecord, trailers t: EventTrailers, signer: Identity, track: AgreementTrack, policy: Policy) throws -> RecordedEvent.Comment? {
        let id = track.id
        guard track.names(signer.id, policy: policy) || policy.allows(.draft, signer.id) else {
            report(c.id, .permission, "\(signer.id) commented on agreement \(id), which does not name it, without the draft permission")
            return nil
        }
        if case .failure(let error) = track.spec {
            report(c.id, .agreementInvalid, "agreement \(id) is invalid and takes no comments: \(error)")
            return nil
        }
        guard t.digest == track.digest else {
            report(c.id, .digestMismatch, "comment on \(id) names digest \(t.digest ?? "none") but the content has digest \(track.digest)")
            return nil
        }
        if let text = t.replyTo ?? t.resolve {
            let resolves = t.resolve != nil
            guard let root = EventID(text: text), let first = track.threadRoot(root) else {
                report(c.id, .comment, "comment on \(id) \(resolves ? "resolves" : "answers") \(text), which is not the first comment of a thread of this agreement")
                return nil
            }
            if resolves {
                guard track.mayResolve(first, by: signer.id, policy: policy) else {
                    report(c.id, .comment, "\(signer.id) resolved a thread of \(id) by \(first.identity); only its author, the agreement's sender or an admin may")
                    return nil
                }
                guard !track.isResolved(root) else {
                    report(c.id, .comment, "the thread \(text) of \(id) is already resolved")
                    return nil
                }
            }
            return RecordedEvent.Comment(file: nil, line: nil, thread: root, resolves: resolves)
        }
        guard let file = t.file else { return RecordedEvent.Comment(file: nil, line: nil, thread: nil, resolves: false) }
        // The file must be one of the agreement's files at this commit (a comment keeps the tree, so the parent's).
        let entry = try repo.treeEntry(c.tree, path: "agreements/\(id)/\(file)")
        // Only a regular file (mode 100644 or 100755) that is a readable blob: a link, a gitlink or an entry naming
        // another kind of object is `malformed-object` where it was added, and never read here.
        guard let entry, entry.mode == 0o100644 || entry.mode == 0o100755, let data = try? repo.blob(entry.id) else {
            report(c.id, .comment, "comment on \(id) names file \(Name.quoted(file)), which is not a regular file of the agreement at this commit")
            return nil
        }
        var line: Int?
        if let text = t.line {
            let bytes = Array(data)
            let count = CommentAnchor.lineCount(bytes)
            guard let number = CommentAnchor.lineNumber(text), number <= count, !bytes.contains(0) else {
                report(c.id, .comment, "comment on \(id) names line \(text) of \(Name.quoted(file)), which has \(bytes.contains(0) ? "no lines (binary)" : "\(count) lines")")
                return nil
            }
            line = number
        }
        return RecordedEvent.Comment(file: file, line: line, thread: nil, resolves: false)
    }
}
