import Foundation
import GitKit

/// A fresh repository in its own temporary directory, made with `Repository.initialize`,
/// removed with everything in it when the value is released.
final class ScratchRepository {
    /// The temporary directory; also HOME for the tools run from here.
    let scratch: ScratchDirectory
    var root: String { scratch.path }
    /// The working directory of the repository (`root/repo`).
    let path: String
    /// The open repository.
    let repository: Repository
    /// Runs stock git and ssh-keygen, isolated from the user's configuration.
    let tools: ToolRunner

    /// Creates `root/repo` with HEAD on `main` (or a bare repository there when `bare`).
    init(bare: Bool = false) throws {
        scratch = try ScratchDirectory(prefix: "gitkit")
        path = scratch.path + "/repo"
        tools = ToolRunner(home: scratch.path, environment: ToolRunner.gitIdentity)
        repository = try Repository.initialize(path, bare: bare)
    }

    /// Runs stock `git -C <repo> arguments...`.
    @discardableResult
    func git(_ arguments: String..., input: Data = Data()) throws -> ToolResult {
        try tools.run("git", ["-C", path] + arguments, input: input)
    }

    /// Runs stock git and throws unless it exits 0.
    @discardableResult
    func gitSucceeds(_ arguments: String..., input: Data = Data()) throws -> ToolResult {
        try tools.succeed("git", ["-C", path] + arguments, input: input)
    }

    /// Writes `text` to `relativePath` in the working tree, creating folders as needed.
    func writeFile(_ relativePath: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Reads `relativePath` from the working tree; nil when it does not exist.
    func readFile(_ relativePath: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relativePath).map { String(decoding: $0, as: UTF8.self) }
    }
}
