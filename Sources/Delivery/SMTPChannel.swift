internal import CCurl
import Foundation

/// Delivers over SMTP through libcurl: `smtp://` (STARTTLS when offered), `smtp+starttls://`
/// (STARTTLS required), `smtps://` (implicit TLS); AUTH when a user is configured.
///
/// With a user configured, TLS is always required: the password never crosses the network in
/// clear text, even on `smtp://`. The envelope is MAIL FROM `from.email` and one RCPT TO per
/// recipient; if the server refuses any recipient nothing is sent (all or nothing).
struct SMTPChannel: Channel {
    /// How TLS is used.
    enum Security: Sendable {
        case opportunistic, startTLS, implicitTLS
    }

    static let connectTimeoutSeconds = 10
    static let totalTimeoutSeconds = 60

    let host: String
    let port: Int
    let security: Security
    let user: String?
    let password: String?
    let caFile: String?

    var description: String {
        let scheme = switch security {
        case .opportunistic: "smtp"
        case .startTLS: "smtp+starttls"
        case .implicitTLS: "smtps"
        }
        return "\(scheme)://\(host):\(port)"
    }

    /// Parses `smtp://HOST[:PORT]`, `smtp+starttls://HOST[:PORT]` or `smtps://HOST[:PORT]` and reads the SMTP settings.
    init(spec: String, settings: ChannelSettings) throws(DeliveryError) {
        func bad(_ reason: String) -> DeliveryError {
            DeliveryError(channel: spec, kind: .configuration, reason: reason)
        }
        guard let separator = spec.range(of: "://") else { throw bad("an SMTP channel starts with smtp://, smtp+starttls:// or smtps://") }
        let scheme = spec[..<separator.lowerBound].lowercased()
        var authority = String(spec[separator.upperBound...])
        if authority.hasSuffix("/") { authority.removeLast() }
        if authority.contains("@") {
            throw bad("credentials do not belong in the channel; set SIGIT_SMTP_USER or git config sigit.notify.smtp.user, and SIGIT_SMTP_PASSWORD in the environment")
        }
        if authority.contains("/") || authority.contains("?") || authority.contains("#") {
            throw bad("an SMTP channel is just HOST or HOST:PORT after the scheme, with no path")
        }
        let defaultPort: Int
        switch scheme {
        case "smtps": security = .implicitTLS; defaultPort = 465
        case "smtp+starttls": security = .startTLS; defaultPort = 587
        default: security = .opportunistic; defaultPort = 25
        }
        guard let (host, port) = Self.hostAndPort(authority, defaultPort: defaultPort) else {
            throw bad("\"\(OneLine.safe(authority, limit: 80))\" is not HOST or HOST:PORT (port 1-65535; IPv6 in brackets)")
        }
        self.host = host
        self.port = port
        if settings.isConfigured("sigit.notify.smtp.password") {
            throw bad("git config sigit.notify.smtp.password is set, but secrets never live in the repository or git config; remove it and set SIGIT_SMTP_PASSWORD in the environment")
        }
        user = settings.value(env: "SIGIT_SMTP_USER", key: "sigit.notify.smtp.user")
        password = settings.secret(env: "SIGIT_SMTP_PASSWORD")
        caFile = settings.value(env: "SIGIT_SMTP_CAFILE", key: "sigit.notify.smtp.cafile")
        if user != nil && password == nil {
            throw bad("an SMTP user is configured but SIGIT_SMTP_PASSWORD is not set in the environment")
        }
        if user == nil && password != nil {
            throw bad("SIGIT_SMTP_PASSWORD is set but no SMTP user is; set SIGIT_SMTP_USER or git config sigit.notify.smtp.user")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw bad("the SMTP CA file \(OneLine.safe(caFile, limit: 200)) cannot be read")
        }
    }

    /// `host` (a hostname, IPv4 address or bracketed IPv6 address) and the port, or nil when malformed.
    static func hostAndPort(_ authority: String, defaultPort: Int) -> (String, Int)? {
        var host = authority
        var portText: String?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[...close])
            let inner = authority[authority.index(after: authority.startIndex)..<close]
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = String(rest.dropFirst())
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            host = String(parts[0])
            if parts.count == 2 { portText = String(parts[1]) }
            guard HeaderSyntax.isHostname(host.utf8) else { return nil }
        }
        var port = defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII), let value = Int(portText),
                  (1...65535).contains(value) else { return nil }
            port = value
        }
        return (host, port)
    }

    func deliver(_ notice: Notice) throws {
        let message: [UInt8]
        do { message = try MailRenderer.render(notice, lineEnding: .crlf) } catch { throw error.on(description) }
        guard let curl = CurlEasy() else {
            throw DeliveryError(channel: description, kind: .unavailable, reason: "libcurl could not create a transfer")
        }
        let tlsRequired = security != .opportunistic || user != nil
        do {
            try curl.set(CURLOPT_URL, "\(security == .implicitTLS ? "smtps" : "smtp")://\(host):\(port)")
            try curl.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            try curl.set(CURLOPT_USE_SSL, Int(tlsRequired ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
            try curl.set(CURLOPT_CONNECTTIMEOUT_MS, Self.connectTimeoutSeconds * 1000)
            try curl.set(CURLOPT_TIMEOUT_MS, Self.totalTimeoutSeconds * 1000)
            if let caFile { try curl.set(CURLOPT_CAINFO, caFile) }
            if let user, let password {
                try curl.set(CURLOPT_USERNAME, user)
                try curl.set(CURLOPT_PASSWORD, password)
            }
            try curl.set(CURLOPT_MAIL_FROM, "<\(notice.from.email)>")
            try curl.set(CURLOPT_MAIL_RCPT, list: notice.to.map { "<\($0.email)>" })
            try curl.set(CURLOPT_UPLOAD, 1)
            try curl.set(CURLOPT_INFILESIZE, message.count)
            curl.state.upload = message
            try curl.perform()
        } catch {
            throw explain(error, tlsRequired: tlsRequired)
        }
    }

    /// A libcurl failure as one sentence: what failed at which SMTP stage, the server's words, what to check.
    func explain(_ failure: CurlEasy.Failure, tlsRequired: Bool) -> DeliveryError {
        let said = failure.serverLine.map { " (server said: \($0))" } ?? ""
        func error(_ kind: DeliveryError.Kind, _ reason: String) -> DeliveryError {
            DeliveryError(channel: description, kind: kind, reason: reason)
        }
        switch failure.code {
        case CurlCode.loginDenied:
            return error(.refused, "SMTP authentication failed for user \(user ?? "(none)")\(said); check SIGIT_SMTP_PASSWORD and the SMTP user")
        case CurlCode.couldntConnect:
            return error(.unavailable, "could not connect to the SMTP server (\(failure.message))")
        case CurlCode.couldntResolveHost:
            return error(.unavailable, "could not resolve the SMTP server's host name (\(failure.message))")
        case CurlCode.timedOut:
            return error(.unavailable, "the SMTP server did not answer in time (\(failure.message))")
        case CurlCode.useSSLFailed:
            let why = security == .opportunistic ? " because a user is configured and the password never travels in clear text" : ""
            return error(.refused, "the SMTP server does not offer STARTTLS, which is required\(why)\(said)")
        case CurlCode.peerFailedVerification, CurlCode.sslConnectError, CurlCode.sslCACertBadFile:
            return error(.refused, "the TLS connection to the SMTP server failed (\(failure.message)); for a private CA set SIGIT_SMTP_CAFILE or git config sigit.notify.smtp.cafile")
        default:
            let code = failure.responseCode
            if code >= 500 {
                return error(.refused, "the SMTP server refused the message (\(failure.message))\(said)")
            }
            if code >= 400 {
                return error(.unavailable, "the SMTP server deferred the message (\(failure.message))\(said); try again later")
            }
            return error(.unavailable, "the SMTP transfer failed (\(failure.message))\(said)")
        }
    }
}
