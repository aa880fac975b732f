import Foundation
import SigitCore

/// Progress of long walks on a terminal's standard error: one line, rewritten in place, shown only once a walk has
/// taken more than a second, and erased at the end (so short runs and pipes never see it).
enum Progress {
    static func line(_ done: Int, _ total: Int, _ elapsed: TimeInterval) {
        guard elapsed >= 1 else { return }
        let text = done >= total ? "\r\u{1B}[K" : "\rsigit: checking history: \(done) of \(Plural.count(total, "commit")) (\(Int(100 * Double(done) / Double(max(total, 1))))%)"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
