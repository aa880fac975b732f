import Foundation
import Testing

/// Trusted time in the team repository: a policy `timestamping:` section naming the loopback TSA fixture's CA, and
/// what the tests compute on their own (event identities, the files of a commit) to check what sigit wrote.
extension Team {
    /// Adds a `timestamping:` section to the policy (a hand-made policy change signed by alice): one authority per
    /// `(name, PEM file, url)`, and `approvals: true` when asked.
    func enableTimestamping(_ authorities: [(name: String, certificate: String, url: String?)], approvals: Bool = false) throws {
        var section = "timestamping:\n  authorities:\n"
        for authority in authorities {
            section += "    - name: \(authority.name)\n"
            if let url = authority.url { section += "      url: \(url)\n" }
            section += "      certificate: |\n"
            let pem = try String(contentsOfFile: authority.certificate, encoding: .utf8)
            for line in pem.split(separator: "\n") { section += "        \(line)\n" }
        }
        if approvals { section += "  approvals: true\n" }
        try editPolicy { text in (text.hasSuffix("\n") ? text : text + "\n") + section }.check()
    }

    /// The event identity of `commit` computed here with stock tools: sha256sum of the commit object without its
    /// `gpgsig` header (the signed payload), in lowercase hex.
    func eventID(_ commit: String) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try commitObjectFile(commit)))
        // Drop the gpgsig header and its continuation lines (they start with a space) from the header block.
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if let end = lines.firstIndex(where: { $0.isEmpty }), let start = lines[..<end].firstIndex(where: { $0.starts(with: Array("gpgsig ".utf8)) }) {
            var stop = start + 1
            while stop < end, lines[stop].first == UInt8(ascii: " ") { stop += 1 }
            lines.removeSubrange(start..<stop)
        }
        let payload = sandbox.path("payload-\(commit).bin")
        try Data(lines.joined(separator: [UInt8(ascii: "\n")])).write(to: URL(fileURLWithPath: payload))
        let sum = try sandbox.run("/usr/bin/env", ["sha256sum", payload], in: sandbox.root.path).check().stdout
        return String(sum.prefix(64))
    }

    /// The signed commits of HEAD's history whose `Sigit-Agreement` trailer is one of `agreements`, oldest first.
    func agreementCommits(_ agreements: Set<String>) throws -> [String] {
        let log = try git("log", "--reverse", "--format=%H %(trailers:key=Sigit-Agreement,valueonly,separator=%x2C)").check().stdout
        return log.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, agreements.contains(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
            return parts[0]
        }
    }

    /// The files `commit` changes against its parent, as `git diff --name-status` prints them (`A\tpath`).
    func changes(_ commit: String = "HEAD") throws -> [String] {
        try git("diff", "--name-status", "--no-renames", "\(commit)^", commit).check().stdout.split(separator: "\n").map(String.init)
    }

    /// Writes `git cat-file commit <commit>` to a file of the sandbox and returns its path (openssl ts -verify -data).
    func commitObjectFile(_ commit: String) throws -> String {
        let path = sandbox.path("object-\(commit).bin")
        try sandbox.run("/bin/sh", ["-c", "git cat-file commit \(commit) > '\(path)'"], in: sandbox.path(repo)).check()
        return path
    }
}
