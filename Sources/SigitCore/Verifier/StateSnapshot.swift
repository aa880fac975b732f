import Crypto
import Foundation
import GitKit

/// The state the ledger derived at one commit, so `sigit status` and the agreement verbs judge only the commits made
/// since instead of walking all of history again (`Ledger.resume(from:tip:)`).
public struct StateSnapshot: Codable, Sendable {
    /// The commit the state is at.
    public let tip: ObjectID
    /// The order number the next commit gets.
    public let orderEnd: Int
    /// The state at `tip`.
    public let state: RepositoryState
}

/// `.git/sigit/cache/state-v1`: one snapshot, JSON after a header and a checksum, rewritten atomically.
///
/// The checksum covers the version of the ledger's rules, the sigit binary that wrote it (path, size and time: a
/// different build rebuilds the snapshot, since what the ledger derives may have changed) and the git directory's
/// absolute path. A file that does not parse or check is ignored and a whole walk runs instead; it is as trustworthy
/// as `.git` itself. `sigit verify`, the hook and `verify --export` never use it.
final class StateStore {
    static let magic = Data("sigit-state-snapshot 1\n".utf8)
    /// Bump whenever the ledger derives state differently.
    static let rulesVersion = "ledger 1"
    let path: String
    let binding: Data

    init(gitDir: String) {
        path = gitDir + "/sigit/cache/state-v1"
        var parts = [Self.rulesVersion, SignatureCache.rulesVersion, URL(fileURLWithPath: gitDir).standardizedFileURL.path]
        let binary = Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
        if let attributes = try? FileManager.default.attributesOfItem(atPath: binary) {
            parts.append(binary)
            parts.append(String(describing: attributes[.size] ?? ""))
            parts.append(String(describing: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0))
        }
        binding = Data(parts.joined(separator: "\u{0}").utf8) + Data([0])
    }

    /// The stored snapshot, when the file is valid.
    func load() -> StateSnapshot? {
        guard let data = FileManager.default.contents(atPath: path), data.count > Self.magic.count + 32,
              data.prefix(Self.magic.count) == Self.magic else { return nil }
        let sum = data.dropFirst(Self.magic.count).prefix(32)
        let body = data.dropFirst(Self.magic.count + 32)
        guard Data(SHA256.hash(data: binding + body)) == Data(sum) else { return nil }
        return try? JSONDecoder().decode(StateSnapshot.self, from: Data(body))
    }

    /// Stores `snapshot`; best effort (a snapshot that cannot be written is not an error).
    func save(_ snapshot: StateSnapshot) {
        guard let body = try? JSONEncoder().encode(snapshot) else { return }
        let file = Self.magic + Data(SHA256.hash(data: binding + body)) + body
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? file.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
