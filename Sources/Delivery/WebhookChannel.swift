internal import CCurl
import Crypto
import Foundation

/// Delivers by POSTing a JSON payload to an http(s) URL through libcurl, signed with HMAC-SHA256.
///
/// Headers: `X-Sigit-Event`, `X-Sigit-Delivery` (the message id, which receivers use to drop
/// duplicates) and `X-Sigit-Signature-256: sha256=<hex>` over the exact body bytes, keyed by
/// `SIGIT_WEBHOOK_SECRET`; without a secret the channel refuses to start. A 2xx answer is success.
/// Connection failures, timeouts, 408, 429 and 5xx are retried (4 attempts, waiting 0.5 s, 1 s,
/// 2 s, or `SIGIT_WEBHOOK_BACKOFF_MS` doubled each time); any other answer fails at once.
/// Redirects are not followed: the signature is meant for the configured URL only.
struct WebhookChannel: Channel {
    static let attempts = 4
    static let defaultBackoffMilliseconds = 500
    static let connectTimeoutSeconds = 10
    static let attemptTimeoutSeconds = 30

    let url: String
    let secret: String
    let caFile: String?
    let backoffMilliseconds: Int

    /// The URL without its query or fragment, which may hold a token.
    var description: String { Self.redacted(url) }

    /// `webhook:URL` with any query or fragment replaced by `?…`.
    static func redacted(_ url: String) -> String {
        guard let cut = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return "webhook:\(url)" }
        return "webhook:\(url[..<cut])?…"
    }

    /// Checks the URL (http or https, no credentials in it) and reads the secret, CA file and backoff.
    init(url rawURL: String, settings: ChannelSettings) throws(DeliveryError) {
        url = rawURL.trimmingSpaces
        let shown = OneLine.safe(Self.redacted(url), limit: 200)
        func bad(_ reason: String) -> DeliveryError {
            DeliveryError(channel: shown, kind: .configuration, reason: reason)
        }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
              let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
              url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw bad("the webhook URL must be an http:// or https:// URL without spaces")
        }
        if components.user != nil || components.password != nil {
            throw bad("credentials do not belong in the webhook URL; the payload is signed with SIGIT_WEBHOOK_SECRET instead")
        }
        if settings.isConfigured("sigit.notify.webhook.secret") {
            throw bad("git config sigit.notify.webhook.secret is set, but secrets never live in the repository or git config; remove it and set SIGIT_WEBHOOK_SECRET in the environment")
        }
        guard let secret = settings.secret(env: "SIGIT_WEBHOOK_SECRET") else {
            throw bad("SIGIT_WEBHOOK_SECRET is not set; webhook payloads are always signed, so set the shared key in the environment")
        }
        self.secret = secret
        caFile = settings.value(env: "SIGIT_WEBHOOK_CAFILE", key: "sigit.notify.webhook.cafile")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw bad("the webhook CA file \(OneLine.safe(caFile, limit: 200)) cannot be read")
        }
        if let text = settings.environment["SIGIT_WEBHOOK_BACKOFF_MS"], !text.isEmpty {
            guard let value = Int(text), (0...60_000).contains(value) else {
                throw bad("SIGIT_WEBHOOK_BACKOFF_MS must be a number of milliseconds from 0 to 60000")
            }
            backoffMilliseconds = value
        } else {
            backoffMilliseconds = Self.defaultBackoffMilliseconds
        }
    }

    /// `sha256=<hex>`: HMAC-SHA256 of `body` keyed by `secret`, as in `X-Sigit-Signature-256`.
    static func signature(of body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// What one attempt came to.
    enum Outcome {
        case delivered
        case retry(String)
        case fail(DeliveryError.Kind, String)
    }

    func deliver(_ notice: Notice) throws {
        let checked: CheckedNotice
        let body: [UInt8]
        do {
            checked = try CheckedNotice(notice)
        } catch {
            throw error.on(description)
        }
        do {
            body = try WebhookPayload(notice, messageID: checked.messageID).encoded()
        } catch {
            throw DeliveryError(channel: description, kind: .invalidNotice, reason: "the payload could not be encoded as JSON (\(error))")
        }
        let headers = [
            "Content-Type: application/json",
            "X-Sigit-Event: \(notice.event)",
            "X-Sigit-Delivery: \(checked.messageID)",
            "X-Sigit-Signature-256: \(Self.signature(of: body, secret: secret))",
            "Expect:",
        ]
        var lastProblem = ""
        for attempt in 1...Self.attempts {
            switch post(body, headers: headers) {
            case .delivered:
                return
            case .fail(let kind, let reason):
                let tries = attempt == 1 ? "" : " (attempt \(attempt) of \(Self.attempts))"
                throw DeliveryError(channel: description, kind: kind, reason: reason + tries)
            case .retry(let problem):
                lastProblem = problem
                if attempt < Self.attempts {
                    let delay = backoffMilliseconds << (attempt - 1)
                    if delay > 0 { Thread.sleep(forTimeInterval: Double(delay) / 1000) }
                }
            }
        }
        throw DeliveryError(channel: description, kind: .unavailable,
                            reason: "the webhook still failed after \(Self.attempts) attempts; last: \(lastProblem)")
    }

    /// One POST and how it ended.
    func post(_ body: [UInt8], headers: [String]) -> Outcome {
        guard let curl = CurlEasy() else { return .retry("libcurl could not create a transfer") }
        do {
            try curl.set(CURLOPT_URL, url)
            try curl.set(CURLOPT_PROTOCOLS_STR, "http,https")
            try curl.set(CURLOPT_FOLLOWLOCATION, 0)
            try curl.set(CURLOPT_CONNECTTIMEOUT_MS, Self.connectTimeoutSeconds * 1000)
            try curl.set(CURLOPT_TIMEOUT_MS, Self.attemptTimeoutSeconds * 1000)
            try curl.set(CURLOPT_USERAGENT, "sigit-notify")
            if let caFile { try curl.set(CURLOPT_CAINFO, caFile) }
            try curl.set(CURLOPT_HTTPHEADER, list: headers)
            try curl.set(CURLOPT_POST, 1)
            try curl.setPostBody(body)
            try curl.perform()
        } catch {
            switch error.code {
            case CurlCode.couldntConnect, CurlCode.couldntResolveHost, CurlCode.timedOut:
                return .retry("could not reach the webhook (\(error.message))")
            case CurlCode.peerFailedVerification, CurlCode.sslConnectError, CurlCode.sslCACertBadFile:
                return .fail(.refused, "the TLS connection to the webhook failed (\(error.message)); for a private CA set SIGIT_WEBHOOK_CAFILE or git config sigit.notify.webhook.cafile")
            case CurlCode.unsupportedProtocol, CurlCode.urlMalformat:
                return .fail(.configuration, "libcurl cannot use this URL (\(error.message))")
            default:
                return .retry("the request failed (\(error.message))")
            }
        }
        let status = curl.responseCode
        let answer = OneLine.safe(String(decoding: curl.state.response.prefix(300), as: UTF8.self), limit: 200)
        let detail = "HTTP \(status)" + (answer.isEmpty ? "" : ": \(answer)")
        switch status {
        case 200...299:
            return .delivered
        case 408, 429, 500...599:
            return .retry(detail)
        case 300...399:
            return .fail(.refused, "the webhook answered \(detail), and redirects are not followed; configure the final URL")
        default:
            return .fail(.refused, "the webhook refused the payload with \(detail)")
        }
    }
}
