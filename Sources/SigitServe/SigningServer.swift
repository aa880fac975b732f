import Dispatch
import Foundation
import Hummingbird
import Logging
import SigitCore

/// `sigit serve`: the HTTP server where an invited counterparty reads the agreement and signs with a passkey
/// (spec section 9). It holds no key that counts: each event it writes carries the passkey's own signature.
public struct SigningServer: Sendable {
    /// What to serve and where.
    public let options: ServeOptions

    /// A server with `options`.
    public init(options: ServeOptions) {
        self.options = options
    }

    /// Opens the repository, listens, calls `ready` with the origin, the repository's folder and the bound address
    /// (`127.0.0.1:41234`) once the socket is bound, and serves until SIGINT or SIGTERM. Blocks; throws when the
    /// repository or the address is unusable.
    public func run(ready: @escaping @Sendable (_ origin: String, _ repository: String, _ address: String) -> Void) throws {
        let workspace = try Workspace(path: options.repository)
        guard try workspace.head() != nil else {
            throw SigitError.repository("the branch has no commits yet; run sigit init first")
        }
        let root = workspace.repo.workdir.map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 } ?? options.repository
        let options = self.options
        let outcome = LockedValue<Error?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await Self.serve(options: options, root: root, ready: ready)
            } catch {
                outcome.value = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.value {
            throw SigitError.repository("sigit serve stopped: \(ServeError.line(for: error))")
        }
    }

    static func serve(options: ServeOptions, root: String, ready: @escaping @Sendable (String, String, String) -> Void) async throws {
        var logger = Logger(label: "sigit-serve")
        logger.logLevel = .critical
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let responderBox = LockedValue<SigningResponder?>(nil)
        // The origin depends on the port the socket got (--listen HOST:0), so the responder is made once it is bound.
        let responder = CallbackResponder<ServeContext> { request, context in
            guard let responder = responderBox.value else {
                return SigningResponder.refusal(ServeError(status: .serviceUnavailable, message: "the server is starting"), json: false)
            }
            return try await responder.respond(to: request, context: context)
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let origin: (origin: String, relyingParty: String)
                do {
                    origin = try ServeOptions.parseOrigin(options.origin ?? "http://localhost:\(port)")
                } catch {
                    origin = ("http://localhost:\(port)", "localhost")
                }
                responderBox.value = SigningResponder(gate: RepositoryGate(path: root), origin: origin.origin, relyingParty: origin.relyingParty,
                                                          push: options.push, log: log)
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                ready(origin.origin, root, "\(host):\(port)")
            },
            logger: logger
        )
        try await app.runService()
    }
}
