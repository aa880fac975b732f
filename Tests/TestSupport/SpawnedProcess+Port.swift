import Foundation

extension SpawnedProcess {
    /// The port a loopback server prints as the first line of its standard output (the TSA scripts do); when none
    /// comes within `seconds`, the server is stopped and the error names `name` with what it wrote on stderr.
    public func announcedPort(within seconds: TimeInterval = 20, name: String) throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = stdout
            if text.hasSuffix("\n"), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return port }
            usleep(20_000)
        }
        kill()
        wait()
        throw ToolFailure(description: "\(name) did not start: \(stderr)")
    }
}
