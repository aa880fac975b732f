import Foundation

/// A fresh directory under /tmp (short, so agent socket paths fit), removed when the value is released.
final class ScratchDirectory {
    /// The directory's URL.
    let url: URL

    init() throws {
        url = URL(fileURLWithPath: "/tmp", isDirectory: true)
            .appendingPathComponent("sshsig-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `text` to `name` with the given permissions and returns its path.
    @discardableResult
    func write(_ text: String, to name: String, permissions: Int = 0o600) throws -> String {
        try write(Data(text.utf8), to: name, permissions: permissions)
    }

    /// Writes `data` to `name` with the given permissions and returns its path.
    @discardableResult
    func write(_ data: Data, to name: String, permissions: Int = 0o600) throws -> String {
        let path = path(name)
        try data.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        return path
    }

    /// Reads `name` as UTF-8 text.
    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}
