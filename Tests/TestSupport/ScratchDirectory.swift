import Foundation

/// A fresh folder for one test, removed with everything in it when the value is released (or by `remove()`).
///
/// The one scratch type of every test target: `ScratchRepository`, `Sandbox` and the OpenSSH and Delivery helpers
/// all keep their files in one.
public final class ScratchDirectory: @unchecked Sendable {
    /// The folder's URL.
    public let url: URL

    /// The folder's path.
    public var path: String { url.path }
    /// Whether releasing the value deletes the folder (otherwise only `remove()` does).
    private let removedOnRelease: Bool

    /// Creates `<base>/<prefix>-<random>`. The default base is /tmp rather than the system temporary folder, so
    /// socket paths inside it (ssh-agent, sshd) stay under the 108-byte limit. With `removedOnRelease` false the
    /// folder stays until `remove()`, for tests that hand out only its path.
    public init(prefix: String = "sigit", base: String = "/tmp", removedOnRelease: Bool = true) throws {
        self.removedOnRelease = removedOnRelease
        url = URL(fileURLWithPath: base, isDirectory: true)
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(12))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        if removedOnRelease { remove() }
    }

    /// Deletes the folder now (the value must not be used for files afterwards).
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// `path(name)`, created as a folder (with its parents) when `directory` is true.
    public func sub(_ name: String, directory: Bool = false) throws -> String {
        let full = path(name)
        if directory { try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true) }
        return full
    }

    /// Writes `text` to `name` with the given permissions and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String, permissions: Int = 0o600) throws -> String {
        try write(Data(text.utf8), to: name, permissions: permissions)
    }

    /// Writes `data` to `name` (creating its folders) with the given permissions and returns its path.
    @discardableResult
    public func write(_ data: Data, to name: String, permissions: Int = 0o600) throws -> String {
        let file = path(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file)
        return file
    }

    /// Reads `name` as UTF-8 text.
    public func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// The names in `directory` ending with `suffix`, sorted numerically when they are numbered.
    public func files(in directory: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted { a, b in
            if let na = Int(a.dropLast(suffix.count)), let nb = Int(b.dropLast(suffix.count)) { return na < nb }
            return a < b
        }
    }
}
