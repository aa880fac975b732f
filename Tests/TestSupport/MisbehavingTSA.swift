import Foundation

/// A time-stamping authority on loopback that answers wrongly (Scripts/bad_tsa.py), so the tests of `sigit timestamp`
/// can show that a bad TSA is reported and skipped. Stopped when released.
public final class MisbehavingTSA: @unchecked Sendable {
    /// How it misbehaves.
    public enum Mode: String, Sendable {
        /// HTTP 200, `application/timestamp-reply`, bytes that are no DER.
        case garbage
        /// Reads the request and never answers.
        case hang
        /// HTTP 503 with a text body.
        case error
        /// HTTP 200, `application/timestamp-reply`, 2 MiB.
        case large
        /// The first request goes to the real TSA `upstream` and its reply is passed on; later ones get HTTP 503.
        case once
    }

    /// The server process.
    let server: SpawnedProcess
    /// Its scratch folder (output files).
    let scratch: ScratchDirectory
    /// The port it listens on.
    public let port: Int
    /// The mode.
    public let mode: Mode

    /// Starts a server in `mode` (`upstream`: the real TSA's URL, for `once`) and waits for its port.
    public init(_ mode: Mode, upstream: String? = nil) throws {
        self.mode = mode
        scratch = try ScratchDirectory(prefix: "sigit-bad-tsa")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/bad_tsa.py").path
        server = try SpawnedProcess("/usr/bin/env", ["python3", script, mode.rawValue] + (upstream.map { [$0] } ?? []), environment: ProcessInfo.processInfo.environment,
                                    scratch: scratch.path("server"))
        port = try server.announcedPort(name: "bad_tsa.py")
    }

    deinit {
        server.kill()
        server.wait()
    }

    /// The URL to POST requests to.
    public var url: String { "http://127.0.0.1:\(port)/tsa" }
}
