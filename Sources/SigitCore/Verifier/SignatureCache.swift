import Crypto
import Foundation
import GitKit
import SSHSig

/// What checking each commit's signature gave, kept under `.git/sigit/cache/` so a later walk does not read the
/// payload or verify again: a commit id names its bytes forever, so the answer never goes stale.
///
/// One file, `signatures-v1`, rewritten atomically when a walk found new answers:
///
///     "sigit-signature-cache 3\n"
///     SHA-256 of (the checking rules' version, NUL, the git directory's absolute path, NUL, everything below)
///     key count (UInt32 BE), then per key: length (UInt32 BE) + SSH key blob
///     entry count (UInt32 BE), then per entry: commit id (20 bytes), kind (1 byte:
///       0 unsigned, 1 good, 2 invalid, 3 good by a FIDO key), then for good the key index (UInt32 BE) and the
///       event identity (32 bytes, SHA-256 of the signed payload), for invalid the reason
///       (UInt32 BE length + UTF-8); for good by a FIDO key as for good, then the signature type (UInt32 BE length +
///       UTF-8), the flags (1 byte), the counter (UInt32 BE) and the WebAuthn origin (1 byte 0 none, or 1 and
///       UInt32 BE length + UTF-8)
///
/// A file that does not parse, has another version, or whose checksum does not match (corruption, a copy from
/// another repository, a moved repository, a sigit whose signature checking changed) is ignored and rebuilt; it is never trusted in part. The cache is as
/// trustworthy as the `.git` folder it lives in: anyone who can write there can change history too. `sigit verify
/// --no-cache` (and SIGIT_NO_CACHE=1) checks every signature again, as the pre-receive hook always does.
final class SignatureCache {
    static let magic = Data("sigit-signature-cache 3\n".utf8)
    /// The rules a cached answer was made with (SSHSIG checking and key parsing): bump it whenever they change, so a
    /// cache written by an older sigit is rebuilt instead of answering for rules that no longer hold.
    static let rulesVersion = "sshsig-check 3 canonical-armor event-id fido-details"
    let path: String
    let binding: Data
    /// The answers, read from the file on first use (a walk of a few commits does without them). Not a `lazy var`:
    /// changing one of those copies the whole dictionary every time, which made each new answer cost O(answers).
    private var stored: SignatureAnswers?
    private var added = 0

    /// The answers.
    var entries: SignatureAnswers {
        load()
        return stored ?? SignatureAnswers()
    }

    private func load() {
        guard stored == nil else { return }
        if let data = FileManager.default.contents(atPath: path), let parsed = Self.parse(data, binding: binding) {
            stored = parsed
        } else {
            stored = SignatureAnswers()
        }
    }

    /// The cache of the repository whose git directory is `gitDir` (its file is read when first needed).
    init(gitDir: String) {
        path = gitDir + "/sigit/cache/signatures-v1"
        binding = Data((Self.rulesVersion + "\u{0}" + URL(fileURLWithPath: gitDir).standardizedFileURL.path).utf8) + Data([0])
    }

    /// The cached answer for `commit`.
    func check(_ commit: ObjectID) -> SignatureCheck? { entries[commit] }

    /// Records a new answer (kept in memory until `save`).
    func record(_ commit: ObjectID, _ check: SignatureCheck, event: EventID?, details: SSHSignatureDetails? = nil) {
        load()
        guard stored?[commit] == nil else { return }
        stored?.insert(check, event: event, details: details, for: commit)
        added += 1
    }

    /// Writes the cache when it learned something; best effort (a cache that cannot be written is not an error).
    func save() {
        guard added > 0 else { return }
        added = 0
        let body = encode()
        var file = Self.magic
        file += Data(SHA256.hash(data: binding + body))
        file += body
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? file.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private func encode() -> Data {
        var keys: [Data] = []
        var keyIndex: [Data: UInt32] = [:]
        var body = Data()
        let table = entries
        // Sorted ids, not sorted (id, answer) pairs: a second array of pairs would double the peak memory of the write.
        let sorted = table.commits.sorted()
        var entryBytes = Data()
        entryBytes.reserveCapacity(sorted.count * (ObjectID.rawSize + 5))
        for commit in sorted {
            guard let check = table[commit] else { continue }
            let (high, middle, low) = commit.words
            withUnsafeBytes(of: high.bigEndian) { entryBytes.append(contentsOf: $0) }
            withUnsafeBytes(of: middle.bigEndian) { entryBytes.append(contentsOf: $0) }
            withUnsafeBytes(of: low.bigEndian) { entryBytes.append(contentsOf: $0) }
            switch check {
            case .unsigned:
                entryBytes.append(0)
            case .good(let key):
                let index: UInt32
                if let known = keyIndex[key.blob] { index = known } else {
                    index = UInt32(keys.count)
                    keyIndex[key.blob] = index
                    keys.append(key.blob)
                }
                // A FIDO signature's details come from a verified sk signature, which always has flags and a counter.
                let fido = table.details(commit).flatMap { details in details.flags.flatMap { flags in details.counter.map { (details, flags, $0) } } }
                entryBytes.append(fido == nil ? 1 : 3)
                entryBytes += Self.u32(index)
                entryBytes += Data(table.event(commit)?.bytes ?? [UInt8](repeating: 0, count: 32))
                if let (details, flags, counter) = fido {
                    entryBytes += Self.text(details.algorithm)
                    entryBytes.append(flags)
                    entryBytes += Self.u32(counter)
                    if let origin = details.webauthnOrigin { entryBytes.append(1); entryBytes += Self.text(origin) } else { entryBytes.append(0) }
                }
            case .invalid(let reason):
                entryBytes.append(2)
                let text = Data(reason.utf8)
                entryBytes += Self.u32(UInt32(text.count)) + text
            }
        }
        body += Self.u32(UInt32(keys.count))
        for key in keys { body += Self.u32(UInt32(key.count)) + key }
        body += Self.u32(UInt32(sorted.count))
        return body + entryBytes
    }

    static func u32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.bigEndian) { Data($0) } }

    /// UTF-8 text with its length (UInt32 BE) in front.
    static func text(_ value: String) -> Data {
        let bytes = Data(value.utf8)
        return u32(UInt32(bytes.count)) + bytes
    }

    /// The entries of a valid file; nil for anything else.
    static func parse(_ data: Data, binding: Data) -> SignatureAnswers? {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 32, Data(bytes[0..<magic.count]) == magic else { return nil }
        let sum = Data(bytes[magic.count..<magic.count + 32])
        let body = Data(bytes[(magic.count + 32)...])
        guard Data(SHA256.hash(data: binding + body)) == sum else { return nil }
        var reader = ByteReader(bytes: [UInt8](body))
        guard let keyCount = reader.u32(), keyCount < 1_000_000 else { return nil }
        var keys: [SSHPublicKey] = []
        for _ in 0..<keyCount {
            guard let length = reader.u32(), let blob = reader.take(Int(length)), let key = try? SSHPublicKey(blob: Data(blob)) else { return nil }
            keys.append(key)
        }
        guard let count = reader.u32() else { return nil }
        var entries = SignatureAnswers()
        for _ in 0..<count {
            guard let raw = reader.take(ObjectID.rawSize), let commit = ObjectID(raw: Data(raw)), let kind = reader.take(1)?.first else { return nil }
            switch kind {
            case 0: entries.insert(.unsigned, event: nil, for: commit)
            case 1:
                guard let index = reader.u32(), Int(index) < keys.count, let event = reader.take(32) else { return nil }
                entries.insert(.good(keys[Int(index)]), event: EventID(digest: event), for: commit)
            case 3:
                guard let index = reader.u32(), Int(index) < keys.count, let event = reader.take(32),
                      let length = reader.u32(), let algorithm = reader.take(Int(length)),
                      let flags = reader.take(1)?.first, let counter = reader.u32(), let hasOrigin = reader.take(1)?.first, hasOrigin <= 1 else { return nil }
                var origin: String? = nil
                if hasOrigin == 1 {
                    guard let length = reader.u32(), let text = reader.take(Int(length)) else { return nil }
                    origin = String(decoding: text, as: UTF8.self)
                }
                let key = keys[Int(index)]
                guard key.isHardwareBacked else { return nil }
                let details = SSHSignatureDetails(algorithm: String(decoding: algorithm, as: UTF8.self), isHardwareBacked: true,
                                                  flags: flags, counter: counter, webauthnOrigin: origin)
                entries.insert(.good(key), event: EventID(digest: event), details: details, for: commit)
            case 2:
                guard let length = reader.u32(), let text = reader.take(Int(length)) else { return nil }
                entries.insert(.invalid(String(decoding: text, as: UTF8.self)), event: nil, for: commit)
            default: return nil
            }
        }
        return reader.atEnd ? entries : nil
    }
}

/// Reads big-endian numbers and byte runs, refusing to read past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= bytes.count - offset else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func u32() -> UInt32? {
        guard let four = take(4) else { return nil }
        return four.reduce(0) { $0 << 8 | UInt32($1) }
    }

    var atEnd: Bool { offset == bytes.count }
}
