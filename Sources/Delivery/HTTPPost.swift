internal import CCurl
import Foundation

/// One HTTP(S) POST through libcurl with a time limit and a cap on the answer, for protocols that send a body and read
/// one back (RFC 3161 time-stamp requests). Redirects are not followed; the answer of any status is returned, so the
/// caller decides what a status means.
public struct HTTPPost: Sendable {
    /// What the server answered.
    public struct Response: Sendable, Equatable {
        /// The HTTP status.
        public let status: Int
        /// The `Content-Type` header without parameters, lowercased; nil when there was none.
        public let contentType: String?
        /// The body (at most `maxResponseBytes`).
        public let body: Data
    }

    /// The http:// or https:// URL.
    public let url: String
    /// The request's `Content-Type`.
    public let contentType: String
    /// The `Accept` header, when one is sent.
    public let accept: String?
    /// The whole exchange (connecting, sending, reading) must end within this many seconds.
    public let timeout: TimeInterval
    /// An answer longer than this fails with `HTTPPostError.Kind.tooLarge`.
    public let maxResponseBytes: Int
    /// A PEM file of CA certificates for https (nil: the system's).
    public let caFile: String?
    /// The `User-Agent` header.
    public let userAgent: String

    /// A POST to `url`; refuses a URL that is not http(s), holds credentials, spaces or control characters.
    public init(url: String, contentType: String, accept: String? = nil, timeout: TimeInterval = 30, maxResponseBytes: Int = 1 << 20,
                caFile: String? = nil, userAgent: String = "sigit") throws(HTTPPostError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
              url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
              let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw HTTPPostError(url: url, kind: .badURL, reason: "is not an http:// or https:// URL without spaces")
        }
        guard components.user == nil, components.password == nil else {
            throw HTTPPostError(url: url, kind: .badURL, reason: "holds credentials, which do not belong in a URL")
        }
        guard timeout > 0, timeout <= 3600 else {
            throw HTTPPostError(url: url, kind: .badURL, reason: "cannot be asked with a time limit of \(timeout) seconds (above 0, at most 3600)")
        }
        self.url = url
        self.contentType = contentType
        self.accept = accept
        self.timeout = timeout
        self.maxResponseBytes = max(1, maxResponseBytes)
        self.caFile = caFile
        self.userAgent = userAgent
    }

    /// Sends `body` and returns the answer; throws when there is none (unreachable, timed out, too large, TLS).
    public func send(_ body: Data) throws(HTTPPostError) -> Response {
        guard let curl = CurlEasy() else { throw HTTPPostError(url: url, kind: .failed, reason: "could not be asked: libcurl could not create a transfer") }
        curl.state.responseLimit = maxResponseBytes
        curl.state.abortsWhenFull = true
        let milliseconds = Int((timeout * 1000).rounded(.up))
        var headers = ["Content-Type: \(contentType)", "Expect:"]
        if let accept { headers.append("Accept: \(accept)") }
        do {
            try curl.set(CURLOPT_URL, url)
            try curl.set(CURLOPT_PROTOCOLS_STR, "http,https")
            try curl.set(CURLOPT_FOLLOWLOCATION, 0)
            try curl.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
            try curl.set(CURLOPT_TIMEOUT_MS, milliseconds)
            try curl.set(CURLOPT_USERAGENT, userAgent)
            if let caFile { try curl.set(CURLOPT_CAINFO, caFile) }
            try curl.set(CURLOPT_HTTPHEADER, list: headers)
            try curl.set(CURLOPT_POST, 1)
            try curl.setPostBody(Array(body))
            try curl.perform()
        } catch {
            throw Self.failure(error, url: url, overflowed: curl.state.overflowed, limit: maxResponseBytes, timeout: timeout)
        }
        let type = curl.contentType.map { value in
            String(value.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        return Response(status: curl.responseCode, contentType: type, body: Data(curl.state.response))
    }

    /// The error for a failed transfer.
    static func failure(_ error: CurlEasy.Failure, url: String, overflowed: Bool, limit: Int, timeout: TimeInterval) -> HTTPPostError {
        if overflowed || error.code == CurlCode.writeError {
            return HTTPPostError(url: url, kind: .tooLarge, reason: "answered more than \(limit) bytes")
        }
        switch error.code {
        case CurlCode.timedOut:
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            return HTTPPostError(url: url, kind: .timedOut, reason: "did not answer within \(seconds) seconds")
        case CurlCode.couldntConnect, CurlCode.couldntResolveHost:
            return HTTPPostError(url: url, kind: .unreachable, reason: "could not be reached (\(error.message))")
        case CurlCode.peerFailedVerification, CurlCode.sslConnectError, CurlCode.sslCACertBadFile:
            return HTTPPostError(url: url, kind: .tls, reason: "failed the TLS connection (\(error.message))")
        case CurlCode.unsupportedProtocol, CurlCode.urlMalformat:
            return HTTPPostError(url: url, kind: .badURL, reason: "cannot be used by libcurl (\(error.message))")
        default:
            return HTTPPostError(url: url, kind: .failed, reason: "could not be asked (\(error.message))")
        }
    }
}
