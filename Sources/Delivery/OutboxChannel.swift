import Foundation

/// Delivers by writing the message as `DIR/<yyyymmddThhmmssZ>-<message id>.eml` (CRLF, RFC 5322).
///
/// The file appears atomically: the message is written to a hidden temporary file in the same
/// directory, flushed to disk, then renamed. The name comes from the notice's date and id, so
/// delivering the same notice twice replaces the file instead of adding a second one.
struct OutboxChannel: Channel {
    let directory: String

    var description: String { "outbox:\(directory)" }

    /// `directory` as given (`~/` means `$HOME/`); it is created on the first delivery if missing.
    init(directory rawDirectory: String, settings: ChannelSettings) throws(DeliveryError) {
        var directory = rawDirectory.trimmingSpaces
        guard !directory.isEmpty else {
            throw DeliveryError(channel: "outbox:", kind: .configuration, reason: "name a directory, as in outbox:DIR")
        }
        if directory == "~" || directory.hasPrefix("~/"), let home = settings.environment["HOME"], !home.isEmpty {
            directory = home + directory.dropFirst()
        }
        self.directory = directory
    }

    func deliver(_ notice: Notice) throws {
        let message: [UInt8]
        let checked: CheckedNotice
        do {
            checked = try CheckedNotice(notice)
            message = try MailRenderer.render(notice, lineEnding: .crlf)
        } catch {
            throw error.on(description)
        }
        let name = "\(Timestamp(notice.date).compact)-\(Self.fileSafe(checked.messageID)).eml"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.writeAtomically(message, directory: directory, name: name)
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw DeliveryError(channel: description, kind: .unavailable,
                                reason: "could not write \(name) (\(error.localizedDescription))")
        }
    }

    /// The id with every byte outside `A-Z a-z 0-9 . _ - + @` replaced by `_`, at most 150 bytes.
    static func fileSafe(_ id: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-+@".utf8)
        let bytes = id.utf8.prefix(150).map { allowed.contains($0) ? $0 : UInt8(ascii: "_") }
        var name = String(decoding: bytes, as: UTF8.self)
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name
    }

    /// Writes `bytes` to a temporary file beside `name`, fsyncs it, renames it to `name`, and fsyncs the directory.
    static func writeAtomically(_ bytes: [UInt8], directory: String, name: String) throws {
        let temporary = "\(directory)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    write(fd, buffer.baseAddress! + offset, bytes.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
            guard fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        guard rename(temporary, "\(directory)/\(name)") == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        ok = true
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }
}
