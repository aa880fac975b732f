import Foundation
import Testing

/// Stock git in a scratch HOME with no global or system configuration.
struct StockGit {
    let scratch: ScratchDirectory
    var home: URL { scratch.url }
    let repo: URL

    init() throws {
        scratch = try ScratchDirectory(prefix: "sigit-trailers")
        repo = scratch.url.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        _ = try run(["init", "-q", repo.path])
    }

    /// `git interpret-trailers --parse` of `message`; nil when git does not finish in 5 s (git 2.39 loops
    /// forever on a `---` divider followed by a cut line).
    func interpretTrailers(_ message: String) throws -> String? {
        if Self.loopsForever(message) { return nil }
        let result = try run(["interpret-trailers", "--parse"], input: Data(message.utf8), timeout: 5)
        guard let result else { return nil }
        #expect(result.status == 0, "git interpret-trailers failed: \(result.stderr)")
        return result.stdout
    }

    /// Whether git 2.39's `interpret-trailers` never returns on `message`: its cut line search
    /// (`wt_status_locate_end`) runs past a `---` divider line, and `ignore_non_trailer` then loops forever.
    static func loopsForever(_ message: String) -> Bool {
        let bytes = Array(message.utf8.prefix { $0 != 0 })
        var divider: Int?
        var line = 0
        while line < bytes.count {
            if bytes[line...].starts(with: "---".utf8), line + 3 < bytes.count, [0x09, 0x0A, 0x0D, 0x20].contains(bytes[line + 3]) {
                divider = line
                break
            }
            line = (bytes[line...].firstIndex(of: 0x0A) ?? bytes.count - 1) + 1
        }
        guard let divider else { return false }
        let cut = Array("\n# ------------------------ >8 ------------------------\n".utf8)
        if bytes.starts(with: cut.dropFirst()) { return false }
        guard bytes.count >= cut.count else { return false }
        for index in 0...(bytes.count - cut.count) where bytes[index..<(index + cut.count)].elementsEqual(cut) {
            return index + 1 > divider
        }
        return false
    }

    /// `git log --format=%(trailers:only,unfold)` of one commit per message, written with one `git fast-import`.
    func logTrailers(_ messages: [String]) throws -> [String] {
        var stream = Data()
        for (index, message) in messages.enumerated() {
            let body = Data(message.utf8)
            stream.append(Data("commit refs/heads/m\(index)\nmark :\(index + 1)\ncommitter T <t@example.com> 1700000000 +0000\ndata \(body.count)\n".utf8))
            stream.append(body)
            stream.append(Data("\n".utf8))
        }
        let marks = home.appendingPathComponent("marks")
        let imported = try run(["-C", repo.path, "fast-import", "--quiet", "--export-marks=\(marks.path)"], input: stream, timeout: 60)
        #expect(imported?.status == 0, "git fast-import failed: \(imported?.stderr ?? "timeout")")
        var ids = [String](repeating: "", count: messages.count)
        for line in try String(contentsOf: marks, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let mark = Int(parts[0].dropFirst()), ids.indices.contains(mark - 1) { ids[mark - 1] = String(parts[1]) }
        }
        let end = "\u{0}end-\(UUID().uuidString)\u{0}"  // a record separator no message holds
        let log = try run(["-C", repo.path, "log", "--stdin", "--no-walk=unsorted",
                           "--format=%H%x00%(trailers:only,unfold)" + end.replacingOccurrences(of: "\u{0}", with: "%x00")],
                          input: Data(ids.map { $0 + "\n" }.joined().utf8), timeout: 60)
        #expect(log?.status == 0, "git log failed: \(log?.stderr ?? "timeout")")
        var byID: [String: String] = [:]
        for record in (log?.stdout ?? "").components(separatedBy: end) {
            let parts = record.split(separator: "\0", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            byID[parts[0].trimmingCharacters(in: .whitespacesAndNewlines)] = String(parts[1])
        }
        return ids.map { byID[$0] ?? "" }
    }

    /// Runs git; nil when it did not finish within `timeout` seconds (it is killed).
    func run(_ arguments: [String], input: Data = Data(), timeout: Double = 30) throws -> (status: Int32, stdout: String, stderr: String)? {
        let result = try ToolRunner(home: scratch.path).run("git", arguments, input: input, timeout: timeout)
        return result.timedOut ? nil : (result.status, result.text, result.stderr)
    }
}
