/// Deterministic commit messages for the trailer differential test: subjects, bodies, `Sigit-*` and other trailer
/// blocks, scissors lines, `---` lines, continuation lines (space and tab), repeated keys, comments, CRLF, blank
/// lines and `Sigit-*` lines in the body, mixed at random from a seed (SplitMix64), so a failure replays exactly.
struct MessageGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    static let digest = "sha256:" + String(repeating: "ab", count: 32)
    static let scissors = [
        "# ------------------------ >8 ------------------------", "; ------------------------ >8 ------------------------",
        "------------------------ >8 ------------------------", "-- >8 --", "# -- 8< --", "#------------------------ >8 ------------------------",
    ]
    static let dashes = ["---", "--- ", "---\tpatch", "---foo", "----", " ---", "--- a/file"]
    static let bodies = ["Looks fine.", "Standard terms.", "Key: value", "#1 priority", "see below -- really", "Note: read it\nwith care",
                         "Reviewed-by: Someone <s@example.com>", "Title: NDA", "(cherry picked from commit 0123456)"]
    static let others = ["Signed-off-by: A <a@example.com>", "Co-authored-by: B <b@example.com>", "Reviewed-by: C", "Bug #43", "Change-Id: I0123"]

    /// One `Sigit-*` line for `action`, with the key's case and spacing varied now and then.
    mutating func sigitLines(_ action: String) -> [String] {
        var lines = ["Sigit-Version: 1", "Sigit-Action: \(action)", "Sigit-Agreement: nda-1", "Sigit-Identity: \(pick(["alice", "bob"]))",
                     "Sigit-Digest: \(Self.digest)", "Sigit-Step: legal"]
        for index in lines.indices {
            if chance(5) { lines[index] = lines[index].lowercased() }
            if chance(4) { lines[index] = lines[index].replacingOccurrences(of: ":", with: " :") }
            if chance(4) { lines[index] += pick(["  ", "\t"]) }
            if chance(3) { lines[index] = lines[index].replacingOccurrences(of: ": ", with: ":") }
        }
        return lines
    }

    /// A trailer block: Sigit lines for approve or decline, mutated now and then.
    mutating func block() -> [String] {
        var lines = sigitLines(pick(["approve", "approve", "decline"]))
        if chance(15) { lines.insert(pick(Self.others), at: below(lines.count + 1)) }
        if chance(8) { lines.insert("Co-authored-by: X\n\(pick([" ", "\t"]))continued", at: below(lines.count + 1)) }
        if chance(8) {  // a continuation line under a Sigit line
            let at = below(lines.count)
            lines[at] += "\n" + pick([" ", "\t", "  "]) + pick(["more", "Sigit-Action: decline", "decline"])
        }
        if chance(6) { lines.insert(pick(["Sigit-Action: decline", "Sigit-Step: other", "SIGIT-ACTION: approve"]), at: below(lines.count + 1)) }
        if chance(5) { lines.insert(pick(["# comment", "#", "not a trailer", "(cherry picked from commit 0123456)"]), at: below(lines.count + 1)) }
        if chance(4) { lines.insert(pick(["Sigit-Step:", "Sigit-Step: ", "Sigit-Notice: request"]), at: below(lines.count + 1)) }
        if chance(3) { lines.remove(at: below(lines.count)) }
        if chance(3) { lines.insert(pick(["", " ", "\t"]), at: below(lines.count + 1)) }
        return lines
    }

    /// One message.
    mutating func message() -> String {
        var paragraphs: [String] = [pick(["approve nda-1 (step legal)", "decline nda-1 (step legal)", "Subject", "fix: a thing"])]
        if chance(3) { paragraphs[0] = pick(["--- subject", "Sigit-Action: approve", "# comment subject", "", "subject\nSigit-Action: approve"]) }
        let count = below(4)
        for _ in 0..<count {
            switch below(12) {
            case 0...3: paragraphs.append(pick(Self.bodies))
            case 4: paragraphs.append(pick(Self.scissors))
            case 5: paragraphs.append(pick(Self.dashes))
            case 6: paragraphs.append(block().joined(separator: "\n"))
            case 7: paragraphs.append(pick(["# a comment", "#", "Conflicts:\n\tfile.txt"]))
            case 8: paragraphs.append(pick(Self.others))
            case 9: paragraphs.append(pick(["Sigit-Action: void", "Sigit-Action: decline\nSigit-Identity: mallory", " Sigit-Action: decline"]))
            default: paragraphs.append(pick(["", " ", "\t"]))
            }
        }
        if chance(90) { paragraphs.append(block().joined(separator: "\n")) }
        if chance(12) { paragraphs.append(pick(Self.scissors) + "\n" + block().joined(separator: "\n")) }
        if chance(8) { paragraphs.append(pick(Self.dashes) + "\n" + block().joined(separator: "\n")) }
        if chance(6) { paragraphs.append(pick(["# trailing comment", "Conflicts:\n\tfile.txt", "", "  "])) }
        var message = ""
        for (index, paragraph) in paragraphs.enumerated() {
            if index > 0 { message += pick(["\n\n", "\n\n", "\n\n", "\n\n", "\n", "\n\n\n"]) }
            message += paragraph
        }
        if chance(80) { message += "\n" }
        if chance(4) { message = "\n" + message }
        if chance(6) { message = message.replacingOccurrences(of: "\n", with: "\r\n") }
        if chance(3) { message.insert(pick(["\r", "\u{0B}", "\u{0C}", "\0", "\u{1B}", "\u{7F}"]), at: message.index(message.startIndex, offsetBy: below(message.count + 1))) }
        return message
    }
}
