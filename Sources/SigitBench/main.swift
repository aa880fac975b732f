import Crypto
import Foundation
import GitKit
import SigitCore
import SSHSig

// sigit-bench-gen REPO KEYS_DIR COMMITS: appends COMMITS (at least) valid sigit commits to REPO's main branch,
// signed with KEYS_DIR/{alice,bob,carol,bot}, then agreement bench-open waiting for carol's signature (for timing
// sigit approve). Used by benchmarks/bench.py; see docs/PERFORMANCE.md.
let arguments = CommandLine.arguments
// sigit-bench-gen --ed25519-rate: ed25519 signature verifications per second on one core (swift-crypto, the library
// sigit verifies with), measured for about a second: the crypto floor of docs/PERFORMANCE.md.
if arguments.count == 2, arguments[1] == "--ed25519-rate" {
    print(String(format: "%.0f", CryptoFloor.verificationsPerSecond()))
    exit(0)
}
guard arguments.count == 4, let count = Int(arguments[3]), count > 0 else {
    FileHandle.standardError.write(Data("usage: sigit-bench-gen REPO KEYS_DIR COMMITS\n".utf8))
    exit(2)
}
do {
    Durability.setFsync(false) // a benchmark repository is rebuilt, never recovered
    let repo = try Repository.open(arguments[1])
    var signers: [String: any SSHSigner] = [:]
    for who in ["alice", "bob", "carol", "bot"] {
        signers[who] = try SigningKey.resolve(option: arguments[2] + "/" + who, environment: [:], gitConfig: nil)
    }
    let emails = ["alice": "alice@example.com", "bob": "bob@example.com", "carol": "carol@example.com", "bot": "bot@example.com"]
    guard let head = try repo.resolveReference("refs/heads/main") else { throw BenchError("no main branch") }
    var history = BenchHistory(repo: repo, signers: signers, emails: emails, time: try repo.commit(head).committer.time)
    let written = try history.append(commits: count)
    try history.appendOpenAgreement()
    print("sigit-bench-gen: wrote \(written + 5) commits")
} catch {
    FileHandle.standardError.write(Data("sigit-bench-gen: \(error)\n".utf8))
    exit(1)
}
