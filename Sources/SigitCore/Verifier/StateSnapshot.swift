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

/// `.git/sigit/cache/state-v2`: one snapshot after a header and a checksum, rewritten atomically. The body is the
/// length of a JSON part, the JSON of everything but the agreements (the policies: small), then the agreements in
/// the binary form of `BinaryWriter` (each event once, strings interned), which reads about 40 times faster than
/// JSON did.
///
/// The checksum covers the version of the ledger's rules, the sigit binary that wrote it (path, size and time: a
/// different build rebuilds the snapshot, since what the ledger derives may have changed) and the git directory's
/// absolute path. A file that does not parse or check is ignored and a whole walk runs instead; it is as trustworthy
/// as `.git` itself. `sigit verify`, the hook and `verify --export` never use it.
final class StateStore {
    static let magic = Data("sigit-state-snapshot 2\n".utf8)
    /// Bump whenever the ledger derives state differently.
    static let rulesVersion = "ledger 2 rounds tampering event-id comments withdraw assurance counters invitations timestamps signed-notices introducers"
    let path: String
    let binding: Data

    init(gitDir: String) {
        path = gitDir + "/sigit/cache/state-v2"
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
        var hash = SHA256()
        hash.update(data: binding)
        hash.update(data: body)
        guard Data(hash.finalize()) == Data(sum) else { return nil }
        var reader = BinaryReader([UInt8](body))
        do {
            let header = try JSONDecoder().decode(StateSnapshot.self, from: Data(try reader.raw(try reader.count())))
            var state = header.state
            state.agreements = AgreementMap(tracks: try reader.array { try AgreementTrack(reading: &$0) })
            guard reader.isAtEnd else { return nil }
            return StateSnapshot(tip: header.tip, orderEnd: header.orderEnd, state: state)
        } catch {
            return nil
        }
    }

    /// Stores `snapshot`; best effort (a snapshot that cannot be written is not an error).
    func save(_ snapshot: StateSnapshot) {
        var writer = BinaryWriter()
        do {
            let header = try JSONEncoder().encode(snapshot)  // the agreements are not part of the JSON
            writer.count(header.count)
            writer.raw(header)
            writer.count(snapshot.state.agreements.count)
            for track in snapshot.state.agreements.values { try track.write(to: &writer) }
        } catch {
            return
        }
        let body = Data(writer.bytes)
        let file = Self.magic + Data(SHA256.hash(data: binding + body)) + body
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? file.write(to: URL(fileURLWithPath: path), options: .atomic)
        try? FileManager.default.removeItem(atPath: folder + "/state-v1")  // the JSON snapshot format 1 wrote (FORMAT.md, Cache)
    }
}
