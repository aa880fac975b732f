import Foundation
import SigitCore

/// What `sigit serve` was asked for: the repository, the address to listen on, the public origin and whether to push.
public struct ServeOptions: Sendable, Equatable {
    /// A path inside the repository.
    public var repository: String
    /// The host or IP address to bind (`127.0.0.1`, `::1`).
    public var host: String
    /// The port to bind; 0 lets the system choose.
    public var port: Int
    /// The origin the browser uses (`https://sign.example.org`); nil means `http://localhost:<port>`.
    public var origin: String?
    /// Whether each new commit is pushed to the branch's upstream (or origin).
    public var push: Bool

    /// Options from the command line's `--listen HOST:PORT` and `--origin URL`; throws a one-line usage error.
    public init(repository: String, listen: String, origin: String?, push: Bool) throws {
        self.repository = repository
        (host, port) = try Self.parseListen(listen)
        self.push = push
        if let origin { _ = try Self.parseOrigin(origin) }
        self.origin = origin
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    static func parseListen(_ text: String) throws -> (String, Int) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw SigitError.badInput("--listen needs HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080") }
            port = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw SigitError.badInput("--listen needs HOST:PORT, e.g. 127.0.0.1:8080") }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else {
            throw SigitError.badInput("--listen needs HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080")
        }
        return (String(host), number)
    }

    /// The normalized origin (`scheme://host[:port]`) and its relying-party id (the host). WebAuthn needs a secure
    /// context, so `http` is accepted for `localhost` only, and an IP address is not a valid relying-party id.
    public static func parseOrigin(_ text: String) throws -> (origin: String, relyingParty: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), let host = components.host?.lowercased(), !host.isEmpty else {
            throw SigitError.badInput("--origin must be a URL such as https://sign.example.org or http://localhost:8080")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil, components.user == nil, components.password == nil else {
            throw SigitError.badInput("--origin is a scheme, a host and a port only (no path, query or user)")
        }
        guard scheme == "https" || (scheme == "http" && (host == "localhost" || host.hasSuffix(".localhost"))) else {
            throw SigitError.badInput("--origin must be https (or http://localhost): passkeys work only in a secure context")
        }
        let isIP = host.contains(":") || host.split(separator: ".").allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        guard !isIP else { throw SigitError.badInput("--origin must name a host, not an IP address: an IP address is not a valid WebAuthn relying-party id") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw SigitError.badInput("--origin's host must be an ASCII host name (use the punycode form)")
        }
        var origin = "\(scheme)://\(host)"
        if let port = components.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) { origin += ":\(port)" }
        return (origin, host)
    }
}
