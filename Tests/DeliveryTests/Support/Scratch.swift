import Foundation

/// A fresh temporary directory for one test, removed by `remove()`.
struct Scratch {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sigit-delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    /// `path/name`, creating it as a directory when `directory` is true.
    func sub(_ name: String, directory: Bool = false) throws -> String {
        let full = path + "/" + name
        if directory { try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true) }
        return full
    }

    /// The names in `directory` ending with `suffix`, sorted numerically when they are numbered.
    func files(in directory: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted { a, b in
            let na = Int(a.dropLast(suffix.count)), nb = Int(b.dropLast(suffix.count))
            if let na, let nb { return na < nb }
            return a < b
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A failure of the test harness itself (a helper did not start), with what it printed.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
}
